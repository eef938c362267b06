"""The supervisor's call-out wizard: title, place, map pin, time, skills, how many, target.

Six short steps, typed answers only where a button cannot do (title, place, time); the draft
lives in conversation_states so a restart resumes it. Buttons: `co:w:<draft token>:<action>`.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import KeyboardButton

from bot.callback_data import CallbackData, button_data
from bot.runtime import Runtime
from bot.volunteer_words import coordinator_buttons, when_examples
from handlers.common import Caller
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import REMOVE_KEYBOARD, Replies, inline, keyboard
from handlers.typed import is_label
from handlers.volunteer_common import card_text, desk_for, is_cancel, say_error, stale, vbuttons, vt
from services.volunteers.callouts import (
    MAX_DURATION,
    MAX_NEEDED,
    MAX_PLACE,
    MAX_TITLE,
    create_callout,
    may_create,
    recipients,
    scope_grids,
)
from services.volunteers.desk import VolunteerDesk, VolunteerError
from services.volunteers.drafts import CallOutDraft
from services.volunteers.profiles import toggle
from services.volunteers.windows import BadWindow, parse_window
from storage.conversations import ConversationRepository

CONVERSATION = "callout"
# States, in the order the coordinator meets them.
TITLE, PLACE, PIN, WHEN = "title", "place", "pin", "when"
SKILLS, NEEDED, TARGET, GRIDS, CONFIRM = "skills", "needed", "target", "grids", "confirm"
TYPED = (TITLE, PLACE, PIN, WHEN, NEEDED)
QUICK_NEEDED = (2, 3, 5, 10, 20)


async def start(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    """/callout: supervisors only; the scope of the call-out is the supervisor's."""
    desk = desk_for(session, rt)
    if not may_create(caller.user):
        out.say(vt(desk, caller.lang, "callout.not_supervisor"))
        return
    await _ask(desk, caller, CallOutDraft(language=caller.lang), TITLE, out)


async def _load(desk: VolunteerDesk, caller: Caller) -> tuple[str, CallOutDraft] | None:
    row = await ConversationRepository(desk.session).load(caller.telegram_id, CONVERSATION)
    if row is None:
        return None
    draft = CallOutDraft.from_dict(row.data)
    if caller.user.language is None:
        caller.lang = draft.language or caller.lang
    return row.state, draft


async def _ask(
    desk: VolunteerDesk, caller: Caller, draft: CallOutDraft, state: str, out: Replies
) -> None:
    lang, tok = caller.lang, button_data("co", "w", draft.token)
    cancel = (vt(desk, lang, "button.cancel"), f"{tok}:cancel")
    examples = when_examples(desk.catalog, lang, desk.now, desk.city.timezone)
    text = vt(desk, lang, f"wizard.ask_{state}", examples=examples) if state != CONFIRM else ""
    if state in (TITLE, PLACE, WHEN):
        out.say(text, inline([[cancel]]))
    elif state == PIN:
        out.say(
            text,
            keyboard(
                [
                    [KeyboardButton(vt(desk, lang, "button.pin_here"), request_location=True)],
                    [vt(desk, lang, "button.skip")],
                ]
            ),
        )
    elif state == SKILLS:
        out.say(text, inline(_skill_rows(desk, lang, draft)))
    elif state == NEEDED:
        quick = [(str(n), f"{tok}:n:{n}") for n in QUICK_NEEDED]
        out.say(text, inline([quick, [cancel]]))
    elif state == TARGET:
        rows = [[(vt(desk, lang, "button.target_all"), f"{tok}:t:all")]]
        if draft.skills:
            rows.append([(vt(desk, lang, "button.target_skills"), f"{tok}:t:skills")])
        rows += [[(vt(desk, lang, "button.target_grids"), f"{tok}:t:grids")], [cancel]]
        out.say(text, inline(rows))
    elif state == GRIDS:
        out.say(text, inline(_grid_rows(desk, lang, draft, caller.user.community_id)))
    else:
        await _preview(desk, caller, draft, out)
    await ConversationRepository(desk.session).save(
        caller.telegram_id, CONVERSATION, state, draft.to_dict(), desk.now
    )


def _skill_rows(desk: VolunteerDesk, lang: str, draft: CallOutDraft) -> list[list[tuple[str, str]]]:
    tok = button_data("co", "w", draft.token)
    rows = [
        [(("✅ " if s in draft.skills else "▫️ ") + name.get(lang), f"{tok}:sk:{s}")]
        for s, name in desk.config.skills.items()
    ]
    return [*rows, [(vt(desk, lang, "button.next"), f"{tok}:next")]]


def _grid_rows(
    desk: VolunteerDesk, lang: str, draft: CallOutDraft, community_id: str | None
) -> list[list[tuple[str, str]]]:
    tok = button_data("co", "w", draft.token)
    rows = [
        [
            (
                ("✅ " if g in draft.target_grids else "▫️ ") + desk.city.grids[g].name.get(lang),
                f"{tok}:g:{g}",
            )
        ]
        for g in scope_grids(desk.city, community_id)
    ]
    return [*rows, [(vt(desk, lang, "button.next"), f"{tok}:next")]]


async def _preview(desk: VolunteerDesk, caller: Caller, draft: CallOutDraft, out: Replies) -> None:
    spec = draft.spec()
    community = caller.user.community_id
    people = await recipients(
        desk.session, desk.city, spec, community, desk.catalog.default_language
    )
    tok, lang = button_data("co", "w", draft.token), caller.lang
    out.say(
        card_text(desk, lang, spec) + "\n\n" + vt(desk, lang, "wizard.reach", count=len(people)),
        inline(
            [
                [(vt(desk, lang, "button.send_callout"), f"{tok}:send")],
                [(vt(desk, lang, "button.cancel"), f"{tok}:cancel")],
            ]
        ),
    )


async def on_text(
    session: AsyncSession, rt: Runtime, caller: Caller, text: str, out: Replies
) -> bool:
    """A typed answer to the wizard. False when the wizard is not waiting for text."""
    desk = desk_for(session, rt)
    loaded = await _load(desk, caller)
    if loaded is None or loaded[0] not in TYPED:
        return False
    state, draft = loaded
    lang, value = caller.lang, text.strip()
    if is_cancel(desk, value):
        await _drop(desk, caller, out)
    elif state == TITLE:
        if len(value) > MAX_TITLE:
            out.say(vt(desk, lang, "callout.bad_title", limit=MAX_TITLE))
            return True
        draft.title = value
        await _ask(desk, caller, draft, PLACE, out)
    elif state == PLACE:
        if len(value) > MAX_PLACE:
            out.say(vt(desk, lang, "callout.bad_place", limit=MAX_PLACE))
            return True
        draft.place = value
        await _ask(desk, caller, draft, PIN, out)
    elif state == PIN:
        if not is_label(value, desk.catalog.all_variants("volunteer.button.skip")):
            out.say(vt(desk, lang, "wizard.pin_or_skip"))
            return True
        out.say(vt(desk, lang, "wizard.no_pin"), REMOVE_KEYBOARD)
        await _ask(desk, caller, draft, WHEN, out)
    elif state == WHEN:
        await _typed_when(desk, caller, draft, value, out)
    else:
        await _typed_needed(desk, caller, draft, value, out)
    return True


async def _typed_when(
    desk: VolunteerDesk, caller: Caller, draft: CallOutDraft, value: str, out: Replies
) -> None:
    try:
        start, end = parse_window(value, desk.now, desk.city.timezone)
    except BadWindow:
        examples = when_examples(desk.catalog, caller.lang, desk.now, desk.city.timezone)
        out.say(vt(desk, caller.lang, "wizard.bad_when", examples=examples))
        return
    if start <= desk.now:  # the time rules now, not after four more steps
        out.say(vt(desk, caller.lang, "callout.time_past"))
        return
    if end - start > MAX_DURATION:
        out.say(vt(desk, caller.lang, "callout.bad_window"))
        return
    draft.starts_at, draft.ends_at = start.isoformat(), end.isoformat()
    await _ask(desk, caller, draft, SKILLS, out)


_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
_PEOPLE = re.compile(
    r"^\s*([0-9]+|[零一二两三四五六七八九十百]+)\s*(个人|个|人|名|位|people|persons?)?\s*$"
)


def _zh_number(text: str) -> int | None:
    """十 → 10, 十二 → 12, 二十 → 20, 一百 → 100, 三 → 3 (enough for a head count)."""
    total, current = 0, 0
    for char in text:
        if char in _ZH_DIGITS:
            current = _ZH_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def people_count(value: str) -> int | None:
    """A typed head count: "12", "１２", "10人", "5个人", "十个人", "12 people"."""
    folded = unicodedata.normalize("NFKC", value).casefold()
    match = _PEOPLE.match(folded)
    if match is None:
        return None
    number = match.group(1)
    return int(number) if number.isdigit() else _zh_number(number)


async def _typed_needed(
    desk: VolunteerDesk, caller: Caller, draft: CallOutDraft, value: str, out: Replies
) -> None:
    needed = people_count(value)
    if needed is None or not 1 <= needed <= MAX_NEEDED:
        out.say(vt(desk, caller.lang, "callout.bad_needed", limit=MAX_NEEDED))
        return
    draft.needed = needed
    await _ask(desk, caller, draft, TARGET, out)


async def on_location(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    lat: float,
    lon: float,
    out: Replies,
) -> bool:
    """The map pin. False when the wizard is not waiting for one."""
    desk = desk_for(session, rt)
    loaded = await _load(desk, caller)
    if loaded is None or loaded[0] != PIN:
        return False
    _, draft = loaded
    draft.latitude, draft.longitude = lat, lon
    out.say(vt(desk, caller.lang, "wizard.pin_ok"), REMOVE_KEYBOARD)
    await _ask(desk, caller, draft, WHEN, out)
    return True


async def on_button(
    session: AsyncSession, rt: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    """`co:w:<token>:<action>[:<arg>]`."""
    desk = desk_for(session, rt)
    pressed = CallbackData.decode(data)
    loaded = await _load(desk, caller)
    if len(pressed.args) < 2 or loaded is None or loaded[1].token != pressed.arg(0):
        stale(desk, caller, out)
        return
    if not may_create(caller.user):
        await _drop(desk, caller, out)
        return
    state, draft = loaded
    action, lang = pressed.arg(1), caller.lang
    arg = pressed.arg(2) if len(pressed.args) > 2 else ""
    if action == "cancel":
        await _drop(desk, caller, out)
    elif action == "sk" and state == SKILLS and arg in desk.config.skills:
        draft.skills = toggle(draft.skills, arg)
        out.new_markup = inline(_skill_rows(desk, lang, draft))
        await _save(desk, caller, state, draft)
    elif (
        action == "g" and state == GRIDS and arg in scope_grids(desk.city, caller.user.community_id)
    ):
        draft.target_grids = toggle(draft.target_grids, arg)
        out.new_markup = inline(_grid_rows(desk, lang, draft, caller.user.community_id))
        await _save(desk, caller, state, draft)
    elif action == "next" and state == SKILLS:
        await _ask(desk, caller, draft, NEEDED, out)
    elif action == "next" and state == GRIDS and draft.target_grids:
        await _ask(desk, caller, draft, CONFIRM, out)
    elif action == "n" and state == NEEDED and arg.isdigit():
        await _typed_needed(desk, caller, draft, arg, out)
    elif action == "t" and state == TARGET and arg in ("all", "skills", "grids"):
        draft.target = arg
        await _ask(desk, caller, draft, GRIDS if arg == "grids" else CONFIRM, out)
    elif action == "send" and state == CONFIRM:
        await _send(desk, caller, draft, out)
    else:
        stale(desk, caller, out)


async def _save(desk: VolunteerDesk, caller: Caller, state: str, draft: CallOutDraft) -> None:
    await ConversationRepository(desk.session).save(
        caller.telegram_id, CONVERSATION, state, draft.to_dict(), desk.now
    )


async def _send(desk: VolunteerDesk, caller: Caller, draft: CallOutDraft, out: Replies) -> None:
    try:
        callout = await create_callout(desk, draft.spec(), caller.user, caller.user.community_id)
    except VolunteerError as error:
        say_error(desk, caller, error, out)
        return
    await ConversationRepository(desk.session).clear(caller.telegram_id, CONVERSATION)
    seconds = callout.broadcast_total / max(desk.send_per_second, 1)
    out.say(
        vt(
            desk,
            caller.lang,
            "wizard.sent",
            count=callout.broadcast_total,
            minutes=max(1, round(seconds / 60)),
        ),
        inline(vbuttons(desk, caller.lang, coordinator_buttons(callout))),
    )


async def _drop(desk: VolunteerDesk, caller: Caller, out: Replies) -> None:
    await ConversationRepository(desk.session).clear(caller.telegram_id, CONVERSATION)
    out.say(vt(desk, caller.lang, "wizard.cancelled"), REMOVE_KEYBOARD)


async def cancel(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> bool:
    """/cancel inside the wizard. False when no wizard is open."""
    desk = desk_for(session, rt)
    if await _load(desk, caller) is None:
        return False
    await _drop(desk, caller, out)
    return True


async def take(turn: Turn, state: str) -> bool:
    """A typed answer or a map pin this conversation is waiting for."""
    incoming, args = turn.incoming, (turn.session, turn.runtime, turn.caller)
    if incoming.kind is InputKind.LOCATION:
        return await on_location(
            *args, incoming.latitude or 0.0, incoming.longitude or 0.0, turn.out
        )
    return await on_text(*args, incoming.text, turn.out)
