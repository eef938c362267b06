"""The words residents type for yes, no and around a choice, in both languages (handlers.typed
folds and reads them)."""

from __future__ import annotations

# Typed words and phrases that mean yes / no, in both languages (folded as labels are; 冇错,
# 系, 啱 are Cantonese). An answer may chain them: "是的没错", "ok sure".
YES_PHRASES = (
    "是", "是的", "是滴", "是啊", "对", "对的", "对啊", "对呀", "对头", "没错", "好", "好的",
    "好啊", "好了", "嗯", "嗯嗯", "行", "可以", "确定", "确认", "就是", "就是这个", "完成", "完了",
    "冇错", "系", "系啊", "系呀", "啱", "啱啊", "啱嘅", "就这些", "没了", "没问题", "没毛病",
    "正确", "中", "要得", "妥", "嗯哼", "是这个", "是这样", "恩", "嗯呐", "嗯哪", "好嘞", "好咧",
    "好滴", "对滴", "中嘞", "就这样", "就这些吧", "yes", "y", "yeah", "yea", "ya", "yep",
    "yup", "ok", "okay", "k", "right", "correct", "sure", "confirm", "that's it", "that's right",
    "done", "finished", "that's all", "absolutely", "exactly", "definitely", "of course", "indeed",
    "alright", "all right", "sure thing", "you bet", "affirmative", "true", "spot on", "precisely",
)  # fmt: skip
NO_PHRASES = (
    "不是", "不对", "不", "不是的", "错了", "没有", "否", "类型不对", "不是这样",
    "搞错了", "弄错了", "no", "n", "nope", "nah", "wrong", "not that", "not really", "not",
    "isn't", "isnt", "incorrect", "negative", "not quite", "wrong type", "not this",
)  # fmt: skip
# Words that only join an answer ("yes it is fixed", "是的，已经解决了", "不是这个", "好的呀");
# never an answer alone. Sentence-final particles change nothing ("是呀", "ok啦", "不对哦").
CONNECTORS = (
    "it", "is", "it's", "its", "that", "this", "one", "please", "pls", "plz", "thing", "type",
    "已经", "都", "了", "请", "这个", "这类", "这种", "这样", "类型", "啊", "呢", "吧", "呀", "啦",
    "哦", "喔", "哈", "呐", "滴", "嘛", "的", "哟", "咯", "lah", "la", "leh", "lor",
)  # fmt: skip

# Words around a typed choice that change nothing ("还行吧", "很满意，谢谢", "I think it's ok").
FILLERS = (
    "吧", "啊", "呀", "哈", "嗯", "呢", "哦", "的", "那就", "那", "我觉得", "感觉", "总体", "整体",
    "谢谢", "谢啦", "i", "think", "it", "was", "is", "it's", "its", "thanks", "thank", "you",
    "overall", "all", "in", "really", "guess", "maybe", "probably", "我猜", "我猜是", "应该是",
)  # fmt: skip

# Emoji that approve: alone (skin tones aside) they are a yes at a yes/no or submit step
# ("👍", "👌👌", "✅"); other emoji ("😀", "🙏") stay no answer. WeChat's codes too ("[强]").
APPROVING_EMOJI = ("👍", "👌", "✅", "🆗", "✔", "☑", "🙆", "[强]", "[ok]", "[好的]")

# Words that point at something shown ("这个", "this one"): never a cancel. Where the step
# shows one option to take (handlers.typed.POINTED_BUTTONS) they take it; else the step again.
POINTING = (
    "这个", "就这个", "这一个", "这", "那个", "就那个", "就是那个", "这件", "就这件",
    "this", "this one", "that one", "that", "the one", "this 1", "that 1",
)  # fmt: skip
# What may stand around pointing words ("这个吧", "this one please").
POINTING_AROUND = ("吧", "啊", "呀", "呢", "啦", "的", "哦", "就", "please", "pls", "plz")
