"""Volunteer registration: name, skills, home grid, availability, consent; edit or withdraw
later.

The name is typed (or the Telegram first name taken with one tap); everything else is by
buttons (`vol:<draft token>:<action>[:<arg>]` while a draft is open, `vol:p:<action>` on the
profile), so nothing typed is misread. The draft lives in conversation_states and survives a
restart; a button of an older draft is answered as stale.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import CallbackData, button_data
from bot.i18n import LANGUAGES
from bot.runtime import Runtime
from bot.volunteer_words import Skills
from config.schema import Grid
from handlers.common import Caller
from handlers.edge import Turn
from handlers.replies import Replies, inline
from handlers.typed import fold
from handlers.volunteer_common import desk_for, is_cancel, say_error, stale, vt
from handlers.volunteer_reading import Heard, read_volunteer_words
from services.places import read_place
from services.volunteers.desk import VolunteerDesk, VolunteerError
from services.volunteers.profiles import (
    AVAILABILITY,
    EDIT_AVAILABILITY,
    EDIT_GRID,
    EDIT_NAME,
    EDIT_SKILLS,
    NAME_LIMIT,
    REGISTER,
    Profile,
    VolunteerDraft,
    clean_name,
    draft_from,
    mark_reachable,
    profile_of,
    save_profile,
    suggested_name,
    toggle,
    withdraw,
)
from services.volunteers.roster import leave_upcoming
from storage.conversations import ConversationRepository

CONVERSATION = "volunteer"
# States, in the order a new volunteer meets them.
NAME, SKILLS, COMMUNITY, GRID = "name", "skills", "community", "grid"
AVAILABLE, CONSENT = "available", "consent"
# Every step takes typed words (the pick-any steps read skills and free times in them).
TYPED_STATES = (NAME, SKILLS, COMMUNITY, GRID, AVAILABLE, CONSENT)
_FIRST_STATE = {REGISTER: NAME, EDIT_NAME: NAME, EDIT_SKILLS: SKILLS, EDIT_GRID: COMMUNITY}


async def start(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    """/volunteer and the `volunteer_signup` intent: the profile if registered, else sign-up."""
    desk = desk_for(session, rt)
    profile = await profile_of(session, caller.user)
    if profile is not None and profile.volunteer.withdrawn_at is None:
        mark_reachable(profile.volunteer)  # writing to us again undoes a block
        show_profile(desk, caller.lang, profile, out)
        return
    draft = (
        draft_from(profile, caller.lang, REGISTER)
        if profile
        else VolunteerDraft(language=caller.lang)
    )
    draft.suggested_name = suggested_name(caller.first_name)
    out.say(vt(desk, caller.lang, "register.intro"))
    await _ask(desk, caller, draft, NAME, out)


def show_profile(desk: VolunteerDesk, lang: str, profile: Profile, out: Replies) -> None:
    volunteer = profile.volunteer
    grid = desk.city.grids.get(volunteer.grid_id or "")
    out.say(
        vt(
            desk,
            lang,
            "register.profile",
            name=volunteer.display_name or vt(desk, lang, "register.no_name"),
            skills=Skills(tuple(profile.skills), desk.config.skills),
            grid=grid.name.get(lang) if grid else "-",
            availability=_availability_text(desk, lang, list(volunteer.availability)),
        ),
        inline(
            [[(vt(desk, lang, f"button.{k}"), button_data("vol", "p", a))] for k, a in _PROFILE]
        ),
    )


_PROFILE = (("edit_name", EDIT_NAME), ("edit_skills", "skills"), ("edit_grid", "grid"),
                    ("edit_availability", "availability"), ("withdraw", "withdraw"))  # fmt: skip


def _availability_text(desk: VolunteerDesk, lang: str, chosen: list[str]) -> str:
    if not chosen:
        return vt(desk, lang, "availability.none")
    separator = "、" if lang == "zh" else ", "
    return separator.join(vt(desk, lang, f"availability.{a}") for a in AVAILABILITY if a in chosen)


async def _save(desk: VolunteerDesk, caller: Caller, state: str, draft: VolunteerDraft) -> None:
    await ConversationRepository(desk.session).save(
        caller.telegram_id, CONVERSATION, state, draft.to_dict(), desk.now
    )


def _rows(
    desk: VolunteerDesk, lang: str, draft: VolunteerDraft, state: str
) -> list[list[tuple[str, str]]]:
    """The buttons of a step; toggles show ✅ on what is chosen."""
    tok = button_data("vol", draft.token)
    cancel = (vt(desk, lang, "button.cancel"), f"{tok}:cancel")
    if state == NAME:
        rows = []
        if draft.display_name:  # coming back, or editing: one tap keeps it
            rows.append(
                [(vt(desk, lang, "button.keep_name", name=draft.display_name), f"{tok}:keep")]
            )
        mine = draft.suggested_name
        if mine and mine != draft.display_name:
            rows.append([(vt(desk, lang, "button.use_my_name", name=mine), f"{tok}:myname")])
        return [*rows, [cancel]]
    if state == SKILLS:
        rows = [
            [(("✅ " if s in draft.skills else "▫️ ") + name.get(lang), f"{tok}:sk:{s}")]
            for s, name in desk.config.skills.items()
        ]
        return [*rows, [(vt(desk, lang, "button.next"), f"{tok}:next"), cancel]]
    if state == COMMUNITY:
        rows = [[(c.name.get(lang), f"{tok}:com:{c.id}")] for c in desk.city.communities.values()]
        return [*rows, [cancel]]
    if state == GRID:
        community = desk.city.communities[draft.community_id or ""]
        grids = [desk.city.grids[g] for g in community.grid_ids]  # with estates, as reports show
        rows = [[(grid_label(grid, lang), f"{tok}:grid:{grid.id}")] for grid in grids]
        return [*rows, [cancel]]
    if state == AVAILABLE:
        rows = [
            [
                (
                    ("✅ " if a in draft.availability else "▫️ ")
                    + vt(desk, lang, f"availability.{a}"),
                    f"{tok}:av:{a}",
                )
            ]
            for a in AVAILABILITY
        ]
        return [*rows, [(vt(desk, lang, "button.next"), f"{tok}:next"), cancel]]
    return [[(vt(desk, lang, "button.agree"), f"{tok}:agree"), cancel]]


async def _ask(
    desk: VolunteerDesk, caller: Caller, draft: VolunteerDraft, state: str, out: Replies
) -> None:
    community = desk.city.communities.get(draft.community_id or "")
    text = vt(
        desk,
        caller.lang,
        f"register.ask_{state}",
        community=community.name.get(caller.lang) if community else "",
        limit=NAME_LIMIT,
    )
    out.say(text, inline(_rows(desk, caller.lang, draft, state)))
    await _save(desk, caller, state, draft)


def _names_the_button(desk: VolunteerDesk, action: str, typed: str) -> bool:
    """`typed` is the button's own words without the name ("use my name", "用我的名字",
    "keep"), in either language: a press, not a name."""
    key = "volunteer.button.use_my_name" if action == "myname" else "volunteer.button.keep_name"
    words = {fold(desk.catalog.t(lang, key, name="")) for lang in LANGUAGES}
    return fold(typed) in words


async def on_button(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    data: str,
    out: Replies,
    typed: str = "",
) -> None:
    """A press, or `typed`: the text a typed label stood for (handlers.typed)."""
    desk = desk_for(session, rt)
    pressed = CallbackData.decode(data)
    if pressed.args and pressed.action == "p":
        await _profile_button(desk, caller, pressed.arg(0), out)
        return
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, CONVERSATION)
    if not pressed.args or row is None or row.data.get("token") != pressed.action:
        stale(desk, caller, out)
        return
    state, draft = row.state, VolunteerDraft.from_dict(row.data)
    if caller.user.language is None:
        caller.lang = draft.language or caller.lang
    action, arg = pressed.arg(0), (pressed.arg(1) if len(pressed.args) > 1 else "")
    lang = caller.lang
    if action == "cancel":
        await conversations.clear(caller.telegram_id, CONVERSATION)
        out.say(vt(desk, lang, "register.cancelled"))
    elif action in ("myname", "keep") and state == NAME:
        chosen = draft.suggested_name if action == "myname" else draft.display_name
        if typed and chosen and chosen not in typed and not _names_the_button(desk, action, typed):
            # "Ali" typed while "Keep Alice Chen" is shown is a new name, not that button.
            await _take_name(desk, caller, draft, typed, out)
        elif chosen:
            draft.display_name = chosen
            await _step_done(desk, caller, draft, NAME, out)
        else:
            stale(desk, caller, out)
    elif (
        action in ("sk", "av")
        and state == (SKILLS if action == "sk" else AVAILABLE)
        and (arg in (desk.config.skills if action == "sk" else AVAILABILITY))
    ):
        ticked = draft.skills if action == "sk" else draft.availability
        # A tap toggles; typed words choose ("Weekends" typed to confirm keeps it ticked).
        ticked = ticked if typed and arg in ticked else toggle(ticked, arg)
        if action == "sk":
            draft.skills = ticked
        else:
            draft.availability = ticked
        out.new_markup = inline(_rows(desk, lang, draft, state))
        await _save(desk, caller, state, draft)
    elif action == "com" and state == COMMUNITY and arg in desk.city.communities:
        draft.community_id = arg
        await _ask(desk, caller, draft, GRID, out)
    elif action == "grid" and state == GRID and arg in desk.city.grids:
        draft.grid_id = arg
        await _step_done(desk, caller, draft, GRID, out)
    elif action == "next" and state in (SKILLS, AVAILABLE):
        await _step_done(desk, caller, draft, state, out)
    elif action == "agree" and state == CONSENT:
        await _finish(desk, caller, draft, out)
    else:
        stale(desk, caller, out)


async def _step_done(
    desk: VolunteerDesk, caller: Caller, draft: VolunteerDraft, state: str, out: Replies
) -> None:
    """Next step of a registration; an edit of one part is saved at once."""
    if draft.mode != REGISTER:
        await _finish(desk, caller, draft, out)
    elif state == NAME:
        await _ask(desk, caller, draft, SKILLS, out)
    elif state == SKILLS:
        await _ask(desk, caller, draft, COMMUNITY, out)
    elif state == GRID:
        await _ask(desk, caller, draft, AVAILABLE, out)
    else:
        await _ask(desk, caller, draft, CONSENT, out)


async def _finish(desk: VolunteerDesk, caller: Caller, draft: VolunteerDraft, out: Replies) -> None:
    try:
        await save_profile(desk, caller.user, draft)
    except VolunteerError as error:
        say_error(desk, caller, error, out)
        return
    await ConversationRepository(desk.session).clear(caller.telegram_id, CONVERSATION)
    profile = await profile_of(desk.session, caller.user)
    assert profile is not None
    out.say(vt(desk, caller.lang, "register.done" if draft.mode == REGISTER else "register.saved"))
    show_profile(desk, caller.lang, profile, out)


async def _profile_button(desk: VolunteerDesk, caller: Caller, action: str, out: Replies) -> None:
    profile = await profile_of(desk.session, caller.user)
    if profile is None or profile.volunteer.withdrawn_at is not None:
        stale(desk, caller, out)
        return
    lang = caller.lang
    if action in (EDIT_NAME, EDIT_SKILLS, EDIT_GRID, EDIT_AVAILABILITY):
        draft = draft_from(profile, lang, action)
        draft.suggested_name = suggested_name(caller.first_name)
        await _ask(desk, caller, draft, _FIRST_STATE.get(action, AVAILABLE), out)
    elif action == "withdraw":
        out.say(
            vt(desk, lang, "register.confirm_withdraw"),
            inline(
                [
                    [
                        (
                            vt(desk, lang, "button.withdraw_yes"),
                            button_data("vol", "p", "withdraw_yes"),
                        )
                    ],
                    [(vt(desk, lang, "button.keep"), button_data("vol", "p", "keep"))],
                ]
            ),
        )
    elif action == "withdraw_yes":
        await withdraw(desk, caller.user)
        left = await leave_upcoming(desk, caller.user)
        out.say(vt(desk, lang, "register.withdrawn", left=left))
    elif action == "keep":
        out.say(vt(desk, lang, "register.kept"))
    else:
        stale(desk, caller, out)


async def take(turn: Turn, state: str) -> bool:
    """Typed words at any step: the name, the home, and skills or free times said in words
    ("会开车，周末有空") wherever they come; the cancel word closes the registration."""
    session, caller, out = turn.session, turn.caller, turn.out
    desk = desk_for(session, turn.runtime)
    row = await ConversationRepository(session).load(caller.telegram_id, CONVERSATION)
    if row is None or state not in TYPED_STATES:
        return False
    text = turn.incoming.text
    if is_cancel(desk, text.strip()):
        return await cancel(session, turn.runtime, caller, out)
    draft = VolunteerDraft.from_dict(row.data)
    if caller.user.language is None:
        caller.lang = draft.language or caller.lang
    heard = read_volunteer_words(text, desk.config.skills)
    if state in (COMMUNITY, GRID) and (read_place(desk.city, text).grid or not heard):
        await _take_home(desk, caller, draft, state, text, out)
    elif state == NAME and not heard:
        await _take_name(desk, caller, draft, text, out)
    elif heard:
        await _keep_heard(desk, caller, draft, state, heard, out)
    else:  # words that answer nothing here: the step again, its buttons still work
        out.say(vt(desk, caller.lang, "register.typed_unread"))
        await _ask(desk, caller, draft, state, out)
    return True


async def _keep_heard(
    desk: VolunteerDesk,
    caller: Caller,
    draft: VolunteerDraft,
    state: str,
    heard: Heard,
    out: Replies,
) -> None:
    """Tick what the words offer (never untick), say what was kept, and go on when they
    answered this step's question (skills at SKILLS, free times at AVAILABLE)."""
    heard.tick(draft)
    kept = [desk.config.skills[s].get(caller.lang) for s in heard.skills]
    kept += [vt(desk, caller.lang, f"availability.{a}") for a in heard.availability]
    joined = ("、" if caller.lang == "zh" else ", ").join(kept)
    out.say(vt(desk, caller.lang, "register.typed_kept", kept=joined))
    answered = (state == SKILLS and heard.skills) or (state == AVAILABLE and heard.availability)
    await (_step_done if answered else _ask)(desk, caller, draft, state, out)


async def _take_home(
    desk: VolunteerDesk, caller: Caller, draft: VolunteerDraft, state: str, text: str, out: Replies
) -> None:
    """Words at "which community / grid do you live in?": an estate or street names the
    grid ("I live in Emerald Lake Court"), a community its grids; else the question again."""
    place = read_place(desk.city, text)
    if place.grid is not None:
        draft.community_id, draft.grid_id = place.grid.community_id, place.grid.id
        found = grid_label(place.grid, caller.lang)
        out.say(vt(desk, caller.lang, "register.home_found", grid=found))
        await _step_done(desk, caller, draft, GRID, out)
    elif place.community is not None:
        draft.community_id = place.community.id
        await _ask(desk, caller, draft, GRID, out)
    else:
        out.say(vt(desk, caller.lang, "register.home_unknown"))
        await _ask(desk, caller, draft, state, out)


def grid_label(grid: Grid, lang: str) -> str:
    """A grid's name with two of its estates, so a resident knows theirs."""
    hint = " / ".join(grid.aliases[:2])
    return f"{grid.name.get(lang)} · {hint}" if hint else grid.name.get(lang)


async def _take_name(
    desk: VolunteerDesk, caller: Caller, draft: VolunteerDraft, text: str, out: Replies
) -> None:
    """A typed name: on to the next step, or the reason it is refused and the question again."""
    try:
        draft.display_name = clean_name(text)
    except VolunteerError as error:
        say_error(desk, caller, error, out)
        await _ask(desk, caller, draft, NAME, out)
        return
    await _step_done(desk, caller, draft, NAME, out)


async def cancel(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> bool:
    """/cancel during registration. False when no registration is open."""
    conversations = ConversationRepository(session)
    if await conversations.load(caller.telegram_id, CONVERSATION) is None:
        return False
    await conversations.clear(caller.telegram_id, CONVERSATION)
    out.say(vt(desk_for(session, rt), caller.lang, "register.cancelled"))
    return True
