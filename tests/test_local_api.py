"""The local Bot API stand-in, driven by a real PTB Bot in-process and over real HTTP.

Everything the rest of the test suite trusts about the stand-in is checked here with PTB's own
client code, so a green suite means PTB would parse what GridDesk's handlers see.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from devtools.local_api import (
    LocalBotApi,
    LocalBotApiRequest,
    LocalBotApiServer,
    RateLimits,
    ReplyButton,
    UploadedFile,
    serve_http,
)

TOKEN = "7000000001:LOCAL-test-token"
RESIDENT = 4242
JPEG = b"\xff\xd8\xff\xe0JFIF\r\n--not-a-boundary\r\n\x00\x01\xff\xd9"

CONFIRM_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("是 Yes", callback_data="confirm:yes"),
            InlineKeyboardButton("换一类 Other type", callback_data="confirm:other"),
        ]
    ]
)


class ManualClock:
    """Drives the rate limiter's sliding window without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.fixture(params=["in_process", "http"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@asynccontextmanager
async def open_bot(api: LocalBotApi, transport: str) -> AsyncIterator[Bot]:
    """A real PTB Bot wired to ``api`` the way tests (in-process) or deployments (HTTP) wire it."""
    if transport == "in_process":
        bot = Bot(
            TOKEN, request=LocalBotApiRequest(api), get_updates_request=LocalBotApiRequest(api)
        )
        async with bot:
            yield bot
        return
    server = await serve_http(api)
    try:
        async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as bot:
            yield bot
    finally:
        await server.close()


async def test_get_me(transport: str) -> None:
    api = LocalBotApi(bot_id=7000000009, username="griddesk_test_bot")
    async with open_bot(api, transport) as bot:
        me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (7000000009, "griddesk_test_bot", True)
    assert api.calls[0].method == "getMe"


async def test_inline_keyboard_is_sent_recorded_and_edited(transport: str) -> None:
    api = LocalBotApi()
    async with open_bot(api, transport) as bot:
        sent = await bot.send_message(RESIDENT, "路灯坏了，对吗？", reply_markup=CONFIRM_KEYBOARD)
        assert sent.chat.id == RESIDENT and sent.from_user is not None
        assert sent.from_user.username == "griddesk_bot"
        assert sent.reply_markup == CONFIRM_KEYBOARD

        call = api.sent_to(RESIDENT)[-1]
        assert call.params["reply_markup"]["inline_keyboard"][0][0]["text"] == "是 Yes"
        assert api.buttons(call) == [
            ("是 Yes", "confirm:yes"),
            ("换一类 Other type", "confirm:other"),
        ]

        edited = await bot.edit_message_text("已确认 Confirmed", RESIDENT, sent.message_id)
        assert isinstance(edited, Message)
        assert edited.message_id == sent.message_id
        assert edited.reply_markup is None  # Telegram drops the keyboard unless it is resent
        assert api.last_text(RESIDENT) == "已确认 Confirmed"
        assert [c.method for c in api.sent_to(RESIDENT)] == ["sendMessage", "editMessageText"]

        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("已确认 Confirmed", RESIDENT, sent.message_id)


async def test_reply_keyboard_flags_are_recorded(transport: str) -> None:
    api = LocalBotApi()
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("📍 发送位置", request_location=True)], ["🏘 选择社区"]],
        resize_keyboard=True,
    )
    async with open_bot(api, transport) as bot:
        await bot.send_message(RESIDENT, "在哪里？", reply_markup=keyboard)
    assert api.reply_buttons(api.sent_to(RESIDENT)[-1]) == [
        ReplyButton("📍 发送位置", request_location=True),
        ReplyButton("🏘 选择社区"),
    ]


async def test_photo_upload_is_recorded_and_downloadable(transport: str) -> None:
    api = LocalBotApi()
    async with open_bot(api, transport) as bot:
        sent = await bot.send_photo(RESIDENT, JPEG, filename="street-light.jpg", caption="已修好")
        upload = api.sent_to(RESIDENT)[-1].params["photo"]
        assert upload == UploadedFile("street-light.jpg", JPEG, "image/jpeg")
        assert api.last_text(RESIDENT) == "已修好"

        file = await bot.get_file(sent.photo[-1].file_id)
        assert bytes(await file.download_as_bytearray()) == JPEG


async def test_resident_photo_can_be_fetched_and_forwarded(transport: str) -> None:
    api = LocalBotApi()
    update = api.photo_update(RESIDENT, file_id="resident-photo-1", caption="垃圾堆")
    assert update["message"]["photo"][-1]["file_id"] == "resident-photo-1"
    async with open_bot(api, transport) as bot:
        forwarded = await bot.send_photo(9001, "resident-photo-1", caption="GD-2026-000123")
        assert forwarded.photo[-1].file_id == "resident-photo-1"
        with pytest.raises(BadRequest, match="Wrong file identifier"):
            await bot.send_photo(9001, "never-uploaded")


async def test_other_methods_answer_like_telegram(transport: str) -> None:
    api = LocalBotApi()
    api.text_update(RESIDENT, "hi")  # the resident has written first; message 1 is theirs
    async with open_bot(api, transport) as bot:
        where = await bot.send_location(RESIDENT, 22.5431, 114.0579)
        station = await bot.send_venue(RESIDENT, 22.54, 114.05, "社区服务站", "福田区 1 号")
        assert where.location is not None and where.location.longitude == pytest.approx(114.0579)
        assert station.venue is not None and station.venue.title == "社区服务站"
        assert (where.message_id, station.message_id) == (2, 3)

        keyed = await bot.send_message(RESIDENT, "评价 Rate", reply_markup=CONFIRM_KEYBOARD)
        bare = await bot.edit_message_reply_markup(RESIDENT, keyed.message_id, reply_markup=None)
        assert isinstance(bare, Message) and bare.reply_markup is None
        assert await bot.delete_message(RESIDENT, keyed.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(RESIDENT, keyed.message_id)

        document = await bot.send_document(
            RESIDENT, io.BytesIO(b"id,status\n1,closed\n"), filename="cases.csv"
        )
        assert document.document is not None and document.document.file_name == "cases.csv"
        assert await bot.send_chat_action(RESIDENT, ChatAction.TYPING)
        assert await bot.answer_callback_query("4000000000000001", text="已收到")

        assert await bot.set_my_commands([("start", "开始"), ("cancel", "取消")])
        commands = await bot.get_my_commands()
        assert [c.command for c in commands] == ["start", "cancel"]
        assert await bot.get_my_commands(language_code="en") == ()
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([("报告", "中文命令不行")])

    upload = api.sent_to(RESIDENT)[-1].params["document"]
    assert upload.content == b"id,status\n1,closed\n"


async def test_group_limit_is_per_minute() -> None:
    clock = ManualClock()
    api = LocalBotApi(limits=RateLimits(per_group_per_minute=20), clock=clock)
    group = -1001234567890
    for n in range(20):
        assert (await api.handle("sendMessage", {"chat_id": group, "text": str(n)}))[0] == 200
        clock.now += 1.0
    status, body = await api.handle("sendMessage", {"chat_id": group, "text": "21st"})
    assert (status, body["parameters"]["retry_after"]) == (429, 40)
    assert (await api.handle("sendMessage", {"chat_id": RESIDENT, "text": "private"}))[0] == 200


async def test_rate_limit_answers_retry_after(transport: str) -> None:
    clock = ManualClock()
    api = LocalBotApi(limits=RateLimits(per_chat_per_second=1, per_second_global=3), clock=clock)
    async with open_bot(api, transport) as bot:
        await bot.send_message(RESIDENT, "第一条")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(RESIDENT, "第二条")
        assert seconds(flood.value.retry_after) == 1
        clock.now += 1.0
        await bot.send_message(RESIDENT, "第二条")

        await bot.send_message(1, "a")
        await bot.send_message(2, "b")
        with pytest.raises(RetryAfter):
            await bot.send_message(3, "c")  # a fourth send inside one second: over the bot's 3/s
    assert [c.params["text"] for c in api.sent_to(RESIDENT)] == ["第一条", "第二条"]
    assert [c.status for c in api.sent_to(RESIDENT, include_failed=True)] == [200, 429, 200]


async def test_blocked_chat_is_forbidden(transport: str) -> None:
    api = LocalBotApi()
    api.block(RESIDENT)
    async with open_bot(api, transport) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(RESIDENT, "您的工单已办结")
        api.unblock(RESIDENT)
        await bot.send_message(RESIDENT, "您的工单已办结")
    assert api.last_text(RESIDENT) == "您的工单已办结"


async def test_injected_failures_come_once_each_in_order(transport: str) -> None:
    api = LocalBotApi()
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    api.fail_next("SENDMESSAGE", 502, "Bad Gateway")
    async with open_bot(api, transport) as bot:
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(RESIDENT, "x")
        assert seconds(flood.value.retry_after) == 3
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(RESIDENT, "x")
        await bot.send_message(RESIDENT, "x")


async def test_webhook_blocks_get_updates_until_deleted(transport: str) -> None:
    api = LocalBotApi()
    api.push_update(api.text_update(RESIDENT, "你好"))
    async with open_bot(api, transport) as bot:
        await bot.set_webhook("https://griddesk.example/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).pending_update_count == 1
        with pytest.raises(Conflict):
            await bot.get_updates()
        await bot.delete_webhook()
        updates = await bot.get_updates()
    assert updates[0].message is not None and updates[0].message.text == "你好"


@pytest.mark.parametrize(
    ("method", "params", "status", "description"),
    [
        ("sendFax", {}, 404, "Not Found: method not found"),
        ("sendMessage", {"text": "hi"}, 400, "Bad Request: chat_id is empty"),
        ("sendMessage", {"chat_id": 1}, 400, "Bad Request: message text is empty"),
        ("sendMessage", {"chat_id": 1, "text": "  "}, 400, "Bad Request: message text is empty"),
        ("sendMessage", {"chat_id": 1, "text": "好" * 4097}, 400,
         "Bad Request: message is too long"),
        ("sendMessage", {"chat_id": "@nobody", "text": "hi"}, 400, "Bad Request: chat not found"),
        (
            "sendMessage",
            {
                "chat_id": 1,
                "text": "hi",
                "reply_markup": '{"inline_keyboard": [[{"text": "x", "callback_data": "%s"}]]}'
                % ("d" * 65),
            },
            400,
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        ("editMessageText", {"chat_id": 1, "message_id": 99, "text": "x"}, 400,
         "Bad Request: message to edit not found"),
        ("deleteMessage", {"chat_id": 1, "message_id": 99}, 400,
         "Bad Request: message to delete not found"),
        ("getFile", {"file_id": "nope"}, 400, "Bad Request: invalid file_id"),
        ("sendChatAction", {"chat_id": 1, "action": "dancing"}, 400,
         "Bad Request: wrong parameter action in request"),
    ],
)  # fmt: skip
async def test_refusals_use_telegram_words(
    method: str, params: dict[str, Any], status: int, description: str
) -> None:
    api = LocalBotApi()
    answer = await api.handle(method, params)
    assert answer == (status, {"ok": False, "error_code": status, "description": description})
    assert api.calls[-1].status == status


async def test_rate_limit_body_and_method_names_are_case_insensitive() -> None:
    clock = ManualClock()
    api = LocalBotApi(limits=RateLimits(per_chat_per_second=1), clock=clock)
    assert (await api.handle("SENDMESSAGE", {"chat_id": 5, "text": "a"}))[0] == 200
    clock.now += 0.4
    status, body = await api.handle("sendmessage", {"chat_id": "5", "text": "b"})
    assert (status, body) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        },
    )
    assert [c.method for c in api.calls] == ["sendMessage", "sendMessage"]


async def test_get_updates_offset_and_long_poll() -> None:
    api = LocalBotApi()
    api.push_update(api.text_update(RESIDENT, "一"))
    api.push_update(api.text_update(RESIDENT, "二"))
    _, body = await api.handle("getUpdates", {})
    first, second = (u["update_id"] for u in body["result"])
    assert first < second

    _, body = await api.handle("getUpdates", {"offset": second})
    assert [u["message"]["text"] for u in body["result"]] == ["二"]
    assert api.pending_updates == 1

    _, body = await api.handle("getUpdates", {"offset": second + 1, "timeout": 0})
    assert body["result"] == [] and api.pending_updates == 0

    async def push_soon() -> None:
        await asyncio.sleep(0.05)
        api.push_update(api.text_update(RESIDENT, "三"))

    pusher = asyncio.create_task(push_soon())
    _, body = await api.handle("getUpdates", {"offset": second + 1, "timeout": 5})
    await pusher
    assert [u["message"]["text"] for u in body["result"]] == ["三"]

    api.push_update(api.text_update(RESIDENT, "四"))
    _, body = await api.handle("getUpdates", {"offset": -1})
    assert [u["message"]["text"] for u in body["result"]] == ["四"]
    assert api.pending_updates == 1


def test_update_builders_give_updates_ptb_parses() -> None:
    api = LocalBotApi()
    bot = Bot(TOKEN)
    command = Update.de_json(api.command_update(RESIDENT, "/start invite-7F3K"), bot)
    assert command.message is not None and command.message.entities[0].type == "bot_command"
    assert command.message.text == "/start invite-7F3K"
    assert command.effective_user is not None
    assert command.effective_user.language_code == "zh-hans"

    english = Update.de_json(api.text_update(RESIDENT, "hi", language_code="en"), bot)
    located = Update.de_json(api.location_update(RESIDENT, 22.5431, 114.0579), bot)
    assert located.effective_user is not None and located.effective_user.language_code == "en"
    assert located.message is not None and located.message.location is not None
    assert located.message.location.latitude == pytest.approx(22.5431)
    assert english.message is not None
    assert located.message.message_id == english.message.message_id + 1
    assert located.update_id == english.update_id + 1

    contact = Update.de_json(api.contact_update(RESIDENT, "+8613800000000"), bot).message
    assert contact is not None and contact.contact is not None
    assert contact.contact.user_id == RESIDENT
    sticker = Update.de_json(api.sticker_update(RESIDENT), bot).message
    voice = Update.de_json(api.voice_update(RESIDENT), bot).message
    assert sticker is not None and sticker.sticker is not None
    assert voice is not None and voice.voice is not None
    assert seconds(voice.voice.duration) == 3

    with pytest.raises(LookupError):
        api.callback_update(RESIDENT, 999, "confirm:yes")


async def _start(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("路灯坏了，对吗？", reply_markup=CONFIRM_KEYBOARD)


async def _confirm(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"收到 {query.data}")


async def test_application_handles_button_press_in_process() -> None:
    api = LocalBotApi()
    app = (
        Application.builder()
        .token(TOKEN)
        .request(LocalBotApiRequest(api))
        .get_updates_request(LocalBotApiRequest(api))
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_confirm))
    async with app:
        await app.process_update(Update.de_json(api.command_update(RESIDENT, "/start"), app.bot))
        shown = api.sent_to(RESIDENT)[-1]
        message_id = shown.result["message_id"]
        _, data = api.buttons(shown)[0]
        await app.process_update(
            Update.de_json(api.callback_update(RESIDENT, message_id, data), app.bot)
        )
    assert api.last_text(RESIDENT) == "收到 confirm:yes"
    assert [c.method for c in api.calls if c.method.startswith(("answer", "edit"))] == [
        "answerCallbackQuery",
        "editMessageText",
    ]


@pytest.fixture
async def http_server() -> AsyncIterator[LocalBotApiServer]:
    server = await serve_http(LocalBotApi())
    yield server
    await server.close()


async def test_long_polling_application_over_http(http_server: LocalBotApiServer) -> None:
    api = http_server.api
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(http_server.base_url)
        .base_file_url(http_server.base_file_url)
        .build()
    )

    async def echo(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"收到：{update.effective_message.text}")

    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))  # type: ignore[union-attr]
        await app.start()
        api.push_update(api.text_update(RESIDENT, "楼道灯不亮"))
        await api.wait_for_sent(RESIDENT, within=10)
        await app.updater.stop()  # type: ignore[union-attr]
        await app.stop()
    assert api.last_text(RESIDENT) == "收到：楼道灯不亮"
    assert api.pending_updates == 0  # the final getUpdates confirmed what was handled


async def test_http_bodies_keep_alive_and_downloads(http_server: LocalBotApiServer) -> None:
    api = http_server.api
    url = f"{http_server.base_url}{TOKEN}"
    async with httpx.AsyncClient() as client:
        by_json = await client.post(
            f"{url}/sendMessage",
            json={"chat_id": RESIDENT, "text": "json", "reply_markup": {"inline_keyboard": []}},
        )
        by_query = await client.get(f"{url}/sendMessage", params={"chat_id": RESIDENT, "text": "q"})
        by_form = await client.post(f"{url}/sendMessage", data={"chat_id": "-100", "text": "123"})
        for _ in range(20):
            assert (await client.post(f"{url}/getMe")).status_code == 200
        missing = await client.get(f"{http_server.base_file_url}{TOKEN}/photos/none.jpg")
        unknown = await client.post(f"{url}/sendFax")
    assert by_json.json()["result"]["text"] == "json"
    assert by_query.json()["result"]["text"] == "q"
    assert by_form.json()["result"]["chat"] == {
        "id": -100,
        "type": "supergroup",
        "title": "Group -100",
    }
    assert api.calls[2].params == {"chat_id": -100, "text": "123"}  # text stays a string
    assert missing.status_code == 404
    assert (
        unknown.status_code == 404
        and unknown.json()["description"] == "Not Found: method not found"
    )
    assert http_server.connections_opened == 1


async def test_http_document_upload_keeps_filename(http_server: LocalBotApiServer) -> None:
    api = http_server.api
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{http_server.base_url}{TOKEN}/sendDocument",
            data={"chat_id": str(RESIDENT), "caption": "周报"},
            files={"document": ("weekly-报告.pdf", b"%PDF-1.7\r\n\r\n%%EOF", "application/pdf")},
        )
    assert answer.status_code == 200
    document = answer.json()["result"]["document"]
    assert (document["file_name"], document["mime_type"]) == ("weekly-报告.pdf", "application/pdf")
    assert api.sent_to(RESIDENT)[-1].params["document"].content == b"%PDF-1.7\r\n\r\n%%EOF"


async def test_listener_sees_every_call() -> None:
    api = LocalBotApi()
    seen: list[tuple[str, int]] = []
    api.add_listener(lambda call: seen.append((call.method, call.status)))
    await api.handle("getMe", {})
    await api.handle("sendMessage", {"chat_id": RESIDENT})
    assert seen == [("getMe", 200), ("sendMessage", 400)]


async def test_http_chunked_body_and_connection_close(http_server: LocalBotApiServer) -> None:
    """Clients that stream uploads send chunks; HTTP/1.0-style clients close after one answer."""
    body = b"chat_id=77&text=%E4%BD%A0%E5%A5%BD"
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    reader, writer = await asyncio.open_connection("127.0.0.1", http_server.port)
    writer.write(
        b"POST /bot" + TOKEN.encode() + b"/sendMessage HTTP/1.1\r\nHost: local\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked
    )
    answer = await reader.read()  # the server closes after answering
    writer.close()
    await writer.wait_closed()
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"connection: close" in answer.lower()
    assert http_server.api.last_text(77) == "你好"
