"""Bot API methods that touch chats and messages, with Telegram's validation and wording.

The checks are the ones handlers trip over in production (empty or over-long text, 64-byte
callback data, editing a message to the same content), so a test fails here rather than in front
of a resident.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from devtools.local_api.calls import UploadedFile, bad_request
from devtools.local_api.chats import ChatStore, StoredFile

Method = Callable[[ChatStore, dict[str, Any]], Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_INLINE_ACTIONS = frozenset(
    {
        "callback_data", "url", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


MAX_ALBUM = 10  # Telegram's limit of media in one sendMediaGroup


def _utf16_len(text: str) -> int:
    """Telegram counts length in UTF-16 code units, so an emoji counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _chat_id(p: dict[str, Any]) -> int:
    value = p.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("chat not found")
    return value


def _message_id(p: dict[str, Any]) -> int:
    value = p.get("message_id")
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request("message identifier is not specified")
    return value


def _text(p: dict[str, Any]) -> str:
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    if _utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text


def _caption(p: dict[str, Any]) -> dict[str, Any]:
    caption = p.get("caption")
    if caption is None or caption == "":
        return {}
    if _utf16_len(str(caption)) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return {"caption": str(caption)}


def _check_inline_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse inline keyboard button: Field "text" must be a String')
    if not _INLINE_ACTIONS & button.keys():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
        raise bad_request("BUTTON_DATA_INVALID")


def _markup(p: dict[str, Any]) -> dict[str, Any] | None:
    """Validate ``reply_markup`` and return what a sent message echoes: inline keyboards only."""
    markup = p.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for key in ("inline_keyboard", "keyboard"):
        rows = markup.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(f'field "{key}" must be an Array of Arrays')
    for row in markup.get("inline_keyboard", []):
        for button in row:
            _check_inline_button(button)
    for row in markup.get("keyboard", []):
        for button in row:
            if not isinstance(button, str) and not (
                isinstance(button, dict) and isinstance(button.get("text"), str)
            ):
                raise bad_request('can\'t parse keyboard button: Field "text" must be a String')
    return markup if "inline_keyboard" in markup else None


def _reply_to(store: ChatStore, chat_id: int, p: dict[str, Any]) -> dict[str, Any]:
    reply = p.get("reply_parameters")
    if not isinstance(reply, dict) or "message_id" not in reply:
        return {}
    original = store.message(chat_id, reply["message_id"])
    if original is None:
        if reply.get("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    quoted = dict(original)
    quoted.pop("reply_to_message", None)
    return {"reply_to_message": quoted}


def _send(
    store: ChatStore, chat_id: int, p: dict[str, Any], content: dict[str, Any]
) -> dict[str, Any]:
    markup = _markup(p)
    content = {**content, **_reply_to(store, chat_id, p)}
    if markup is not None:
        content["reply_markup"] = markup
    return store.add_message(chat_id, store.bot_user, content)


def _input_file(store: ChatStore, value: object, field: str) -> tuple[StoredFile | None, bytes]:
    """Resolve an upload, URL or file_id; ``None`` means a new upload not yet stored."""
    if isinstance(value, UploadedFile):
        return None, value.content
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {field} in the request")
    if value.startswith(("http://", "https://")):
        return None, b""  # the stand-in cannot fetch URLs; the message still looks right
    known = store.files.get(value)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return known, known.content


def send_message(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    chat_id = _chat_id(p)
    return _send(store, chat_id, p, {"text": _text(p)})


def _photo_sizes(store: ChatStore, value: object, field: str) -> list[dict[str, Any]]:
    known, content = _input_file(store, value, field)
    if known is None:
        return store.photo_sizes(content)
    sizes = [{**known.as_file(), "width": 1280, "height": 960}]
    sizes[0].pop("file_path")
    return sizes


def send_photo(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    chat_id = _chat_id(p)
    sizes = _photo_sizes(store, p.get("photo"), "photo")
    return _send(store, chat_id, p, {"photo": sizes, **_caption(p)})


def send_media_group(store: ChatStore, p: dict[str, Any]) -> list[dict[str, Any]]:
    """An album of 2-10 photos: one message each, sharing a media_group_id."""
    chat_id = _chat_id(p)
    media = p.get("media")
    if not isinstance(media, list) or not 2 <= len(media) <= MAX_ALBUM:
        raise bad_request("wrong number of media in the album (2-10)")
    if not all(isinstance(item, dict) and item.get("type") == "photo" for item in media):
        raise bad_request("only photos are supported in this album")
    # Every item checked before any is sent: a refused album leaves nothing in the chat.
    contents = [
        {"photo": _photo_sizes(store, item.get("media"), "media"), **_caption(item)}
        for item in media
    ]
    group = str(store.next_serial())
    return [
        store.add_message(chat_id, store.bot_user, {**content, "media_group_id": group})
        for content in contents
    ]


def send_document(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    chat_id = _chat_id(p)
    value = p.get("document")
    known, content = _input_file(store, value, "document")
    upload = value if isinstance(value, UploadedFile) else None
    stored = known or store.add_file(content, "document", "bin")
    document = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": upload.filename if upload else stored.file_path.rsplit("/", 1)[-1],
        "mime_type": upload.mimetype if upload else "application/octet-stream",
        "file_size": len(stored.content),
    }
    return _send(store, chat_id, p, {"document": document, **_caption(p)})


def _location(p: dict[str, Any]) -> dict[str, float]:
    latitude, longitude = p.get("latitude"), p.get("longitude")
    if not isinstance(latitude, int | float) or not -90 <= latitude <= 90:
        raise bad_request("wrong latitude specified")
    if not isinstance(longitude, int | float) or not -180 <= longitude <= 180:
        raise bad_request("wrong longitude specified")
    return {"latitude": float(latitude), "longitude": float(longitude)}


def send_location(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    chat_id = _chat_id(p)
    return _send(store, chat_id, p, {"location": _location(p)})


def send_venue(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    chat_id = _chat_id(p)
    location = _location(p)
    title, address = p.get("title"), p.get("address")
    if not title or not address:
        raise bad_request("venue title and address must be non-empty")
    venue = {"location": location, "title": str(title), "address": str(address)}
    return _send(store, chat_id, p, {"venue": venue, "location": location})


def _editable(store: ChatStore, p: dict[str, Any]) -> dict[str, Any] | None:
    """The stored bot message to edit, or ``None`` for inline messages (edited blind)."""
    if p.get("inline_message_id"):
        return None
    message = store.message(_chat_id(p), _message_id(p))
    if message is None:
        raise bad_request("message to edit not found")
    if message["from"]["id"] != store.bot_user["id"]:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(
    message: dict[str, Any], changes: dict[str, Any], markup: dict[str, Any] | None
) -> dict[str, Any]:
    """Apply changes (``None`` removes a field); Telegram drops the keyboard unless resent."""
    changes = {**changes, "reply_markup": markup}
    if all(message.get(key) == value for key, value in changes.items()):
        raise bad_request(_NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(time.time())
    return dict(message)  # a snapshot; see ChatStore.add_message


def edit_message_text(store: ChatStore, p: dict[str, Any]) -> dict[str, Any] | bool:
    text, markup = _text(p), _markup(p)
    message = _editable(store, p)
    if message is None:
        return True
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    return _apply_edit(message, {"text": text}, markup)


def edit_message_caption(store: ChatStore, p: dict[str, Any]) -> dict[str, Any] | bool:
    caption, markup = _caption(p), _markup(p)
    message = _editable(store, p)
    if message is None:
        return True
    if "text" in message:
        raise bad_request("there is no caption in the message to edit")
    return _apply_edit(message, {"caption": caption.get("caption")}, markup)


def edit_message_reply_markup(store: ChatStore, p: dict[str, Any]) -> dict[str, Any] | bool:
    markup = _markup(p)
    message = _editable(store, p)
    if message is None:
        return True
    return _apply_edit(message, {}, markup)


def delete_message(store: ChatStore, p: dict[str, Any]) -> bool:
    if store.messages.pop((_chat_id(p), _message_id(p)), None) is None:
        raise bad_request("message to delete not found")
    return True


def pin_chat_message(store: ChatStore, p: dict[str, Any]) -> bool:
    if store.message(_chat_id(p), _message_id(p)) is None:
        raise bad_request("message to pin not found")
    return True


def unpin_chat_message(store: ChatStore, p: dict[str, Any]) -> bool:
    _chat_id(p)  # without message_id: the most recent pin, which needs no checking here
    return True


def answer_callback_query(store: ChatStore, p: dict[str, Any]) -> bool:
    if not p.get("callback_query_id"):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(str(p.get("text") or "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    return True


def send_chat_action(store: ChatStore, p: dict[str, Any]) -> bool:
    _chat_id(p)
    if p.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def get_file(store: ChatStore, p: dict[str, Any]) -> dict[str, Any]:
    stored = store.files.get(str(p.get("file_id") or ""))
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.as_file()


MESSAGE_METHODS: dict[str, Method] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendMediaGroup": send_media_group,
    "sendDocument": send_document,
    "sendLocation": send_location,
    "sendVenue": send_venue,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getFile": get_file,
}
