"""The weekly report to supervisors, on SQLite and PostgreSQL: figures, job, photo upload."""

from __future__ import annotations

import base64
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from bot import weekly_chart
from bot.outbox.send import PNG_SIGNATURE, PayloadError, plan
from devtools.local_api.calls import UploadedFile
from domain.statistics import Ratio
from entrypoints.scheduler import weekly_report_tick
from services.statistics.weekly_report import weekly_figures
from storage.models import Case, OutboxMessage, User
from tests.harness import BotHarness, deliver_outbox

SHANGHAI = ZoneInfo("Asia/Shanghai")
XINJI_ZH, CITY_EN, XINJI_EN, HONGMIAN_ZH, RETIRED, WORKER = 3101, 3102, 3103, 3104, 3105, 2001
H = timedelta(hours=1)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


# (case type, grid, status, filed, resolved, due): the harness clock reads Monday 23 November
# 10:00 in Shanghai, so the report's week is Monday 16 to Sunday 22 November, local time.
CASES: list[tuple[str, str | None, str, datetime, datetime | None, datetime | None]] = [
    ("sanitation", "xinji-01", "closed", local(16, 9), local(16, 15), None),  # 6 h
    ("sanitation", "xinji-02", "resolved", local(17, 9), local(18, 9), None),  # 24 h
    ("sanitation", "xinji-02", "in_progress", local(20, 10), None, local(22, 10)),  # overdue
    ("noise", "xinji-04", "closed", local(21, 8), local(21, 10), None),  # 2 h
    ("noise", "xinji-04", "reopened", local(18, 8), local(18, 20), local(19, 8)),  # overdue
    ("other", None, "new", local(22, 23, 59), None, local(29, 9)),  # a consultation
    ("street_order", "xinji-03", "cancelled", local(19, 12), None, None),
    # Filed a minute before the week, resolved in it (12 h): counts only in the median.
    ("public_facility", "xinji-01", "closed", local(15, 23, 59), local(16, 11, 59), None),
    ("sanitation", "xinji-03", "assigned", local(23, 0, 30), None, local(25, 0, 30)),  # today
    ("public_facility", "xinji-02", "assigned", local(10, 9), None, local(13, 9)),  # overdue
    ("sanitation", "yangguang-01", "closed", local(17, 8), local(17, 18), None),  # 10 h
    ("traffic_parking", "yangguang-02", "accepted", local(10, 9), None, local(11, 9)),  # overdue
]


async def seed(bot: BotHarness) -> None:
    async with bot.runtime.db.transaction() as session:
        staff = [
            (XINJI_ZH, "supervisor", "xinji", "zh", True),
            (CITY_EN, "supervisor", None, "en", True),
            (XINJI_EN, "supervisor", "xinji", "en", True),
            (HONGMIAN_ZH, "supervisor", "hongmian", "zh", True),
            (RETIRED, "supervisor", None, "zh", False),
            (WORKER, "worker", None, "zh", True),
        ]
        for telegram_id, role, community, lang, active in staff:
            session.add(
                User(telegram_id=telegram_id, role=role, community_id=community, language=lang,
                     active=active, created_at=local(1, 9))
            )  # fmt: skip
        for n, (case_type, grid, status, filed, resolved, due) in enumerate(CASES, 1):
            session.add(
                Case(
                    number=f"GD-2026-{n:06d}",
                    kind="report" if grid else "consultation",
                    case_type=case_type,
                    status=status,
                    priority="normal",
                    text="test case",
                    language="zh",
                    grid_id=grid,
                    community_id=None if grid else "xinji",
                    created_at=filed,
                    updated_at=resolved or filed,
                    accept_due_at=filed + H,
                    due_at=due or filed + 72 * H,
                    resolved_at=resolved,
                    closed_at=resolved + H if resolved and status == "closed" else None,
                )
            )


async def test_the_week_in_figures_for_a_community_and_the_city(bot: BotHarness) -> None:
    await seed(bot)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        xinji = await weekly_figures(session, bot.runtime.city.timezone, "xinji", now)
        city = await weekly_figures(session, bot.runtime.city.timezone, None, now)
        hongmian = await weekly_figures(session, bot.runtime.city.timezone, "hongmian", now)

    assert (xinji.first_day.isoformat(), xinji.last_day.isoformat()) == ("2026-11-16", "2026-11-22")
    assert xinji.received_by_type == {"sanitation": 3, "noise": 2, "other": 1, "street_order": 1}
    assert list(xinji.received_by_type)[:2] == ["sanitation", "noise"]  # most first
    assert xinji.disposed_by_type == {"sanitation": 2, "noise": 1}
    assert (xinji.received, xinji.disposed) == (7, 3)
    assert xinji.disposal_rate == pytest.approx(3 / 7)
    assert (xinji.resolved, xinji.median_resolve) == (4, 9 * H)  # 2, 6, 12, 24 h
    assert xinji.overdue_by_grid == {"xinji-02": 2, "xinji-04": 1}

    assert city.received_by_type == {"sanitation": 4, "noise": 2, "other": 1, "street_order": 1}
    assert (city.received, city.disposed, city.disposal_rate) == (8, 4, 0.5)
    assert (city.resolved, city.median_resolve) == (5, 10 * H)  # 2, 6, 10, 12, 24 h
    assert city.overdue_by_grid == {"xinji-02": 2, "xinji-04": 1, "yangguang-02": 1}

    assert (hongmian.received, hongmian.disposal_rate, hongmian.median_resolve) == (0, None, None)
    assert hongmian.overdue_by_grid == {}
    assert xinji.kpis is not None and city.kpis is not None and hongmian.kpis is not None
    assert (xinji.kpis.cases, xinji.kpis.on_time, xinji.kpis.redo) == (6, Ratio(3, 5), Ratio(1, 4))
    assert (city.kpis.cases, city.kpis.on_time, city.kpis.redo) == (7, Ratio(4, 6), Ratio(1, 5))
    assert hongmian.kpis.cases == 0


async def test_monday_job_sends_each_supervisor_a_chart_in_their_language(
    bot: BotHarness,
) -> None:
    await seed(bot)
    assert await weekly_report_tick(bot.runtime)
    assert not await weekly_report_tick(bot.runtime)  # this week's report is already made

    async with bot.runtime.db.transaction() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [(r.chat_id, r.kind) for r in rows] == [
        (chat, "weekly_report") for chat in (XINJI_ZH, CITY_EN, XINJI_EN, HONGMIAN_ZH)
    ]
    captions = {row.chat_id: row.payload["text"] for row in rows}
    assert captions[XINJI_ZH].splitlines() == [
        "📊 每周报告 · 新基社区",
        "2026-11-16 至 2026-11-22",
        "受理 7 件 · 办结 3 件（办结率 42.9%）",
        "反映最多：环境卫生 3 件、噪音扰民 2 件、其他 1 件",
        "办理用时中位数：9.0小时（已办结 4 件）",
        "当前超期：3 件（最多：新基第二网格 2 件、新基第四网格 1 件）",
        # no case here has an acceptance within 1 h; 1, 2, 4 were resolved on time, 3 and 5
        # are open past due; no evaluations; 5 of the resolved 1, 2, 4, 5 was reopened
        "响应率 0.0% · 按时办结率 60.0% · 满意率 — · 重办率 25.0%",
    ]
    city = captions[CITY_EN]
    assert city.startswith("📊 Weekly report · Demo City, Nancheng Street\n2026-11-16 to 2026")
    assert "Received 8 · disposed 4 (50.0%)" in city
    assert "Median time to resolve: 10.0 h (5 cases resolved)" in city
    assert "Overdue now: 4 (most in Xinji Grid 2 (2)," in city
    assert city.endswith("Response 0.0% · on time 66.7% · satisfied — · redo 20.0%")
    assert "Received 7 · disposed 3 (42.9%)" in captions[XINJI_EN]
    assert "本周没有收到案件。" in captions[HONGMIAN_ZH]
    assert "当前超期：无" in captions[HONGMIAN_ZH]
    # One chart per scope and language: the two Xinji supervisors differ only in language.
    charts = {row.chat_id: row.payload["photo_png_b64"] for row in rows}
    assert charts[XINJI_ZH] != charts[XINJI_EN]

    assert await deliver_outbox(bot) == 4
    for chat in (XINJI_ZH, CITY_EN, XINJI_EN, HONGMIAN_ZH):
        (call,) = bot.calls(chat)
        assert call.method == "sendPhoto" and call.ok
        assert call.params["caption"] == captions[chat]
        upload = call.params["photo"]
        assert isinstance(upload, UploadedFile)
        assert upload.content.startswith(PNG_SIGNATURE)
        assert upload.content == base64.b64decode(charts[chat])
        with Image.open(io.BytesIO(upload.content)) as image:
            assert (image.format, image.size) == ("PNG", (1100, 800))
    assert bot.calls(RETIRED) == [] and bot.calls(WORKER) == []


async def test_without_a_chinese_font_the_chart_is_labelled_in_english(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(weekly_chart, "cjk_family", lambda: None)
    await seed(bot)
    await weekly_report_tick(bot.runtime)
    async with bot.runtime.db.transaction() as session:
        rows = {r.chat_id: r.payload for r in await session.scalars(select(OutboxMessage))}
    assert rows[XINJI_ZH]["photo_png_b64"] == rows[XINJI_EN]["photo_png_b64"]
    assert rows[XINJI_ZH]["text"].startswith("📊 每周报告")  # the caption stays Chinese


async def test_the_job_is_scheduled_for_monday_eight_on_the_city_clock(bot: BotHarness) -> None:
    queue = bot.app.job_queue
    assert queue is not None
    (job,) = queue.get_jobs_by_name("weekly_report")
    monday_ten = local(23, 10)
    fires = job.job.trigger.get_next_fire_time(None, monday_ten)
    assert fires == local(30, 8)


PNG = PNG_SIGNATURE + b"rest of the picture"


@pytest.mark.parametrize(
    ("payload", "methods"),
    [
        ({"text": "caption", "photo_png_b64": base64.b64encode(PNG).decode()}, ["sendPhoto"]),
        (
            {"text": "长" * 1100, "photo_png_b64": base64.b64encode(PNG).decode()},
            ["sendPhoto", "sendMessage"],  # too long for a caption: the text follows
        ),
        ({"text": "x", "photo": "AgAD-file-id"}, ["sendPhoto"]),
    ],
)
def test_photo_payloads_become_calls(payload: dict[str, str], methods: list[str]) -> None:
    assert [step.method for step in plan(42, payload)] == methods


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "x", "photo_png_b64": "not base64!"},
        {"text": "x", "photo_png_b64": base64.b64encode(b"GIF89a...").decode()},
        {"text": "x", "photo_png_b64": 7},
        {"text": "x", "photo": "AgAD", "photo_png_b64": base64.b64encode(PNG).decode()},
    ],
)
def test_malformed_uploads_are_refused_before_any_call(payload: dict[str, object]) -> None:
    with pytest.raises(PayloadError):
        plan(42, payload)
