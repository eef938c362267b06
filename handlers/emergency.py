"""Emergencies from any step: the numbers before anything else, then an urgent case.

An open report is set aside (kept inside the emergency draft) and comes back once the
urgent case has its place. "不是紧急情况 / Not an emergency" turns the urgent case into an
ordinary report; staff are told (handlers.emergency_calm).
"""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.callback_data import button_data
from handlers import report_draft
from handlers.edge import Turn
from handlers.emergency_calm import (
    resume_interrupted,
    says_not_an_emergency,
    stand_down,
)
from handlers.emergency_reach import cancel_key, nobody_reached, say_if_outside, say_located
from handlers.emergency_reading import (
    clearly_new_report,
    keeps_the_place,
    named_place,
    names_a_place,
    place_like,
    same_subject,
    typed_street,
)
from handlers.inputs import InputKind
from handlers.replies import REMOVE_KEYBOARD, inline, keyboard
from handlers.report_questions import more_words
from handlers.typed import answer_of
from services.cases import emergency as service
from services.cases.drafts import ReportDraft
from services.cases.urgent_reading import describes_person, street_in
from services.places import (
    TypedPlace,
    is_place_only,
    place_named_in,
    read_place,
)


def calm_button(turn: Turn, case_id: int) -> list[list[tuple[str, str]]]:
    return [[(turn.t("button.not_emergency"), button_data("em", "calm", case_id))]]


async def raise_alarm(turn: Turn) -> None:
    """The numbers first; then an urgent case (or, if one is open, the words added to it)."""
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    text = turn.incoming.text
    out.say(turn.t("emergency.numbers"))
    opened = await report_draft.load_draft(session, caller)
    recent = (
        opened[1].case_number
        if opened is not None and opened[1].emergency and opened[1].case_number
        else await service.recent_urgent_case(session, caller.user, runtime.clock.now())
    )
    if recent is not None:
        # Still the same emergency: no second urgent case for every message about it (a
        # photo's caption goes with the photo).
        if turn.incoming.photo_file_id:
            await _keep_photo(turn, recent, caption=text)
        else:
            await service.add_words(
                session, recent, text, runtime.clock.now(), runtime.city, runtime.catalog
            )
        placed = named_place(turn) or typed_street(turn)
        if placed is not None and not await service.knows_where(session, recent):
            await _place(turn, recent, placed)
        await say_added(turn, recent, _location_keyboard(turn))
        if placed is not None and placed.grid is None:
            await say_if_outside(turn, recent)  # a street no grid knows: none of ours can go
        return
    # A known estate or street in the words ("翠湖苑3栋楼道有烟"): filed there, one alert.
    # Else the place of the report it interrupts, when that report had one.
    named = named_place(turn)
    placed = named or _draft_place(turn, opened[1] if opened is not None else None)
    point = _draft_point(opened[1]) if opened is not None and named is None else None
    typed = typed_street(turn) if placed is None and point is None else None
    filed = await service.open_emergency_case(
        session,
        text,
        caller.lang,
        caller.user,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
        address=placed.address if placed else (typed.address if typed else None),
        grid_id=placed.grid.id if placed and placed.grid else None,
        point=point,
    )
    await _keep_photo(turn, filed.number)
    draft = ReportDraft(text=text, language=caller.lang, emergency=True, case_number=filed.number)
    if opened is not None:
        draft.resume = {"state": opened[0], "draft": opened[1].to_dict()}
    await report_draft.save_draft(session, runtime, caller, report_draft.EMERGENCY_LOCATION, draft)
    case_id = await service.case_id_of(session, filed.number)
    # "Staff alerted" only when an alert about it is in the outbox for someone (issue 14; the
    # same reading wherever the alarm came from: alone, or in the middle of a report).
    nobody = await nobody_reached(turn, filed.number)
    if nobody and placed is None and typed is None:  # a pin may find a worker
        said = turn.t("delivery.emergency_nobody_yet", number=filed.number)
    elif nobody:
        said = turn.t("delivery.emergency_nobody", number=filed.number)
    elif placed is not None:
        said = turn.t("emergency.case_opened_at", number=filed.number, address=placed.address)
    elif typed is not None:  # a street no grid knows: a supervisor was told, none of ours can go
        said = turn.t("emergency.opened_outside", number=filed.number, address=typed.address)
    else:
        said = turn.t("emergency.case_opened", number=filed.number)
    interrupted = opened[1] if opened is not None else None
    told_here = named is not None or (
        interrupted is not None and same_subject(text, interrupted.text)
    )
    resumes = placed is not None and told_here and draft.resume is not None
    asks_here = placed is not None and not told_here and draft.resume is not None
    if asks_here and nobody:  # nobody there to alert: say so, then ask where it is all the same
        out.say(said)
        said = turn.t("emergency.is_it_here", number=filed.number)
    elif asks_here and placed is not None:
        # Filed where the interrupted report is, so its grid's staff hear at once; but the
        # danger may be elsewhere ("楼上有人在打老婆"): the next place, pin or photo is the
        # urgent case's until the resident says it is here.
        said = turn.t("emergency.at_report_place", number=filed.number, address=placed.address)
    elif resumes and not nobody and placed is not None:  # no button to press: none shown
        said = turn.t("emergency.case_opened_here", number=filed.number, address=placed.address)
    out.say(said, None if resumes else _location_keyboard(turn, here=placed is not None))
    out.say(turn.t("emergency.if_not"), inline(calm_button(turn, case_id)))
    if resumes:  # the resident named the place: the report it interrupted goes on at once
        await resume_interrupted(turn, draft)


async def say_added(turn: Turn, number: str, markup: ReplyKeyboardMarkup | None = None) -> None:
    """ "Added to urgent case …, staff will see it" only when a message about it was queued to
    someone; else that nobody can be reached (call 110/119/120 yourself)."""
    told = await service.staff_were_told(turn.session, number)
    key = "emergency.added" if told else "delivery.emergency_nobody"
    turn.out.say(turn.t(key, number=number), markup)


def _draft_place(turn: Turn, draft: ReportDraft | None) -> TypedPlace | None:
    """The place the interrupted report already had: its grid, with its typed address (or
    the grid's name)."""
    grid = turn.runtime.city.grids.get(draft.grid_id or "") if draft is not None else None
    if draft is None or draft.emergency or grid is None:
        return None
    return TypedPlace(address=draft.address or grid.name.get(turn.lang), grid=grid)


def _draft_point(draft: ReportDraft) -> tuple[float, float] | None:
    if draft.emergency or draft.latitude is None or draft.longitude is None:
        return None
    return draft.latitude, draft.longitude


async def _keep_photo(turn: Turn, number: str, caption: str = "") -> None:
    """A photo whose caption raised the alarm stays on the urgent case (its staff see it, with
    the `caption` when it is not the case's words already)."""
    photo = turn.incoming.photo_file_id
    if photo:
        runtime = turn.runtime
        await service.add_photo(turn.session, number, photo, turn.caller.user,
                                runtime.clock.now(), runtime.city, runtime.catalog,
                                caption=caption)  # fmt: skip


async def _place(turn: Turn, number: str, placed: TypedPlace) -> None:
    """Place the urgent case where its words said: its grid's staff are pinged as for a
    typed place."""
    runtime = turn.runtime
    await service.place_emergency_case(
        turn.session,
        number,
        placed.address,
        placed.grid.id if placed.grid else None,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )


def _location_keyboard(turn: Turn, *, here: bool = False) -> ReplyKeyboardMarkup:
    """ "Send my location"; with `here`, also "it is here" (the place it was filed at)."""
    rows: list[list[KeyboardButton | str]] = [
        [KeyboardButton(turn.t("button.share_location"), request_location=True)]
    ]
    if here:
        rows.append([KeyboardButton(turn.t("button.place_is_here"))])
    return keyboard(rows)


async def take(turn: Turn, state: str) -> bool:
    """The urgent case's place: a shared location, or typed words kept as its address."""
    loaded = await report_draft.load_draft(turn.session, turn.caller)
    if loaded is None:
        return False
    draft = loaded[1]
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    number, now, incoming = draft.case_number or "", runtime.clock.now(), turn.incoming
    if incoming.kind is InputKind.LOCATION:
        await _locate(turn, number)
    elif incoming.kind is InputKind.TEXT:
        if says_not_an_emergency(turn):  # "it is not an emergency, they got out"
            return await stand_down(turn, number)
        if await service.knows_where(session, number):
            if keeps_the_place(turn):  # "✅ 就在这里", "就在这", "right there", a yes
                out.say(turn.t("emergency.place_kept", number=number), REMOVE_KEYBOARD)
                await resume_interrupted(turn, draft)
                return True
            if draft.resume and answer_of(turn.incoming.text) == "no":  # "不是": then where?
                out.say(turn.t("emergency.then_where", number=number), _location_keyboard(turn))
                return True
        # A known place comes first, however it is put: "在翠湖苑5栋" (not a greeting), "it's at
        # Sunshine Garden block 4" (not a cancel), "不是这里，是在阳光花园2栋".
        only_place = is_place_only(runtime.city, incoming.text)
        if not only_place and clearly_new_report(turn):
            return False  # "还有楼道灯也坏了", "翠湖苑的路灯坏了": a new report starts as itself
        named = names_a_place(turn)
        if not named and not more_words(turn):
            return False  # an emoji, a typed answer, a greeting: not where the emergency is
        street = None if named else street_in(incoming.text)
        if not named and (
            await service.knows_where(session, number)
            or (street is None and (not place_like(turn) or describes_person(incoming.text)))
        ):
            # "楼道里烟更大了，三楼有人在喊", "穿红色外套，75岁": news for the staff, not an address
            return await _words_while_placeless(turn, number, draft)
        place = read_place(runtime.city, incoming.text)
        # the place as typed ("阳光花园2栋1203"); out of a sentence, the estate and building
        # ("不是这里，是在阳光花园2栋" -> 阳光花园2栋) or the street ("…at 25 Binhai Avenue")
        alias = None if only_place else place_named_in(runtime.city, incoming.text)
        if not only_place:  # the rest of the sentence ("…穿红色外套") is for the staff too
            await service.add_words(session, number, incoming.text, now, runtime.city,
                                    runtime.catalog)  # fmt: skip
        await service.place_emergency_case(
            session,
            number,
            alias.address if alias is not None else (street or place.address),
            place.grid.id if place.grid else None,
            runtime.city,
            runtime.catalog,
            now,
            duty_chat=runtime.settings.duty_chat_id,
        )
    elif incoming.kind is InputKind.PHOTO and incoming.photo_file_id:
        await service.add_photo(session, number, incoming.photo_file_id, caller.user, now,
                                runtime.city, runtime.catalog, caption=incoming.text)  # fmt: skip
        out.say(turn.t("emergency.photo_added", number=number))
        return True
    else:
        return False
    if not draft.emergency:
        out.say(turn.t("emergency.place_added", number=number), REMOVE_KEYBOARD)
    else:  # help promised only where it can come from (handlers.emergency_reach)
        await say_located(turn, number, REMOVE_KEYBOARD)
    await resume_interrupted(turn, draft)
    return True


async def _words_while_placeless(turn: Turn, number: str, draft: ReportDraft) -> bool:
    """Words about the emergency before its place ("她穿红色外套"): they join the urgent case and
    reach the staff alerted; a question ("要不要先喂点水？") is pointed to the 120 line, which
    guides first aid. Then the place is asked again."""
    understanding = turn.understanding
    prediction = understanding.prediction if understanding is not None else None
    if prediction is not None and prediction.question:
        turn.out.say(turn.t("emergency.ask_on_the_phone"))
    else:
        runtime = turn.runtime
        await service.add_words(turn.session, number, turn.incoming.text,
                                runtime.clock.now(), runtime.city, runtime.catalog)  # fmt: skip
        await say_added(turn, number)
    if not await service.knows_where(turn.session, number):
        turn.out.say(turn.t("emergency.still_need_place", number=number), _location_keyboard(turn))
    elif draft.resume:  # filed at the interrupted report's place: is it there?
        turn.out.say(turn.t("emergency.is_it_here", number=number),
                     _location_keyboard(turn, here=True))  # fmt: skip
    return True


async def _locate(turn: Turn, number: str) -> None:
    """The shared point onto the urgent case (its grid's staff pinged, or the duty chain)."""
    runtime, incoming = turn.runtime, turn.incoming
    await service.locate_emergency_case(
        turn.session,
        number,
        incoming.latitude or 0.0,
        incoming.longitude or 0.0,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )


async def on_cancel(turn: Turn, draft: ReportDraft) -> None:
    """/cancel after the numbers: the urgent case stays open (staff may be on their way);
    say so, offer to stand it down, and bring back any report it interrupted."""
    number = draft.case_number or ""
    case_id = await service.case_id_of(turn.session, number)
    turn.out.say(turn.t(await cancel_key(turn, number), number=number), REMOVE_KEYBOARD)
    turn.out.say(turn.t("emergency.if_not"), inline(calm_button(turn, case_id)))
    if draft.resume:  # /cancel cancels what can be: the report the emergency interrupted
        draft.resume = None
        turn.out.say(turn.t("emergency.report_dropped"))
    if await service.knows_where(turn.session, number):
        await report_draft.drop_draft(turn.session, turn.caller)
        return
    # Still nowhere: a place typed next is the urgent case's, not an old report's.
    await report_draft.save_draft(
        turn.session, turn.runtime, turn.caller, report_draft.EMERGENCY_LOCATION, draft
    )
    turn.out.say(turn.t("emergency.still_need_place", number=number), _location_keyboard(turn))


async def attach_to_recent(turn: Turn) -> bool:
    """A photo or a shared location soon after an emergency, with no step waiting for it,
    belongs to that urgent case (its place, if it has none yet). False when there is none."""
    session, runtime, caller, incoming = turn.session, turn.runtime, turn.caller, turn.incoming
    now = runtime.clock.now()
    number = await service.recent_urgent_case(session, caller.user, now)
    if number is None:
        return False
    if incoming.kind is InputKind.PHOTO and incoming.photo_file_id:
        await service.add_photo(session, number, incoming.photo_file_id, caller.user, now,
                                runtime.city, runtime.catalog, caption=incoming.text)  # fmt: skip
        turn.out.say(turn.t("emergency.photo_added", number=number))
        return True
    if incoming.kind is InputKind.LOCATION and not await service.has_place(session, number):
        await _locate(turn, number)
        await say_located(turn, number, REMOVE_KEYBOARD)
        return True
    return False
