"""Traditional Chinese characters residents type (from Hong Kong, Taiwan or a phone set that
way: "電梯壞了 8棟") read as the simplified ones the rest of the code knows: places, dangers and
the objects and faults of everyday reports; Cantonese particles as their Mandarin ones
("電梯壞咗" is 电梯坏了)."""

from __future__ import annotations

TRADITIONAL = str.maketrans(
    "棟廈號樓邊殯館對醫診東門場園區層單車庫廠廣鐵灣華莊陽頭裡裏後側這兒處橋學藥營業廳辦務國鄉"
    "鎮縣雲龍閣寶豐興發燈電線氣險災燒煙傷殺搶墜隊衛洩觸禍暈媽嬰來點著樂體書們會變壓廟碼機關開"
    "護廁廚壩倉貨運鳳濱馬紅綠島嶺飯鋪際級緊報獄爐彈槍擊嚴雜導殘葉張劉陳黃趙錢萬與內舊滿觀圖療"
    "聖禮鐘樹溝給嗎沒樣個麼為時塊壞響聲髒亂積蓋環貓蟲違築裝鑽牆塗鴉攤販噸螞窩檢淨臟漲溼濕戶鎖"
    "閘擋佔據錯係請謝問題話說讓還該見覺應從間現實聽經過進幾寫讀滅無買賣續歡鄰幫將閉動咗嘅唔冇"
    "喺佢啲睇攞嚟"
    "鴻鳴鵬鶴麗匯滙蘇錦繡瓏璽藝術顯達駿寧溫濤潤澤潔濟漢瀾熱燦爾誠賢質貴賓輝遠適邁郵鄧銀銅鏡長陸雙離雞韓順頤顏風飛騰驛鬧魯鮮鳥鹽麥龜軒廬盧淺綿錫榮欖畫畢碩祿蓮藍蘭",
    "栋厦号楼边殡馆对医诊东门场园区层单车库厂广铁湾华庄阳头里里后侧这儿处桥学药营业厅办务国乡"
    "镇县云龙阁宝丰兴发灯电线气险灾烧烟伤杀抢坠队卫泄触祸晕妈婴来点着乐体书们会变压庙码机关开"
    "护厕厨坝仓货运凤滨马红绿岛岭饭铺际级紧报狱炉弹枪击严杂导残叶张刘陈黄赵钱万与内旧满观图疗"
    "圣礼钟树沟给吗没样个么为时块坏响声脏乱积盖环猫虫违筑装钻墙涂鸦摊贩吨蚂窝检净脏涨湿湿户锁"
    "闸挡占据错系请谢问题话说让还该见觉应从间现实听经过进几写读灭无买卖续欢邻帮将闭动了的不没"
    "在他些看拿来"
    "鸿鸣鹏鹤丽汇汇苏锦绣珑玺艺术显达骏宁温涛润泽洁济汉澜热灿尔诚贤质贵宾辉远适迈邮邓银铜镜长陆双离鸡韩顺颐颜风飞腾驿闹鲁鲜鸟盐麦龟轩庐卢浅绵锡荣榄画毕硕禄莲蓝兰",
)


def simplified(text: str) -> str:
    """`text` with traditional characters and Cantonese particles as simplified Mandarin."""
    return text.translate(TRADITIONAL)
