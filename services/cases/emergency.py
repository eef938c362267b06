"""Emergencies: the numbers first, then an urgent case that finds its grid later."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, Say, say_case
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUSES
from nlu.types import Prediction
from services import notify
from services.cases.drafts import ReportDraft
from services.cases.duty import supervisors_chain
from services.cases.filing import URGENT, FiledCase, dispatch_to_grid, file_report, knows_place
from services.cases.transitions import record_note
from storage.models import Attachment, Case, OutboxMessage, User

# Words of several messages about one emergency; the resident's limit is 4,096 each.
MAX_CASE_TEXT = 8192


def is_emergency(prediction: Prediction) -> bool:
    """Whether the NLU's top intent is `emergency`."""
    # The NLU layer already puts a substantial emergency share on top
    # (nlu.types.EMERGENCY_MIN_SHARE), whichever engine answered.
    return prediction.intent == "emergency"


async def open_emergency_case(
    session: AsyncSession,
    text: str,
    lang: str,
    reporter: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    duty_chat: int | None = None,
    address: str | None = None,
    grid_id: str | None = None,
    point: tuple[float, float] | None = None,
) -> FiledCase:
    """The urgent case, alerted at once: to its grid's staff when its place is known (words
    naming a known place, or the report it interrupted: `address`, `grid_id`, `point` as
    latitude and longitude), else through the duty chain (the place is not known yet).

    ``staff_told`` of the result is 0 when nobody at all could be told: the resident must hear
    that, not "staff alerted". `now` is aware UTC.
    """
    latitude, longitude = point if point is not None else (None, None)
    draft = ReportDraft(text=text, language=lang, emergency=True, address=address,
                        grid_id=grid_id, latitude=latitude, longitude=longitude)  # fmt: skip
    return await file_report(session, draft, reporter, city, catalog, now, duty_chat=duty_chat)


async def _alerted_chats(session: AsyncSession, case: Case) -> list[int]:
    """Every chat an alert about the urgent case was queued or sent to, in order."""
    alerted = await session.scalars(
        select(OutboxMessage.chat_id)
        .where(OutboxMessage.case_id == case.id, OutboxMessage.kind == "assignment")
        .distinct()
    )
    return sorted(alerted.all())


async def _tell_alerted(
    session: AsyncSession,
    chats: list[int],
    case: Case,
    notice: Notice,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> None:
    """`notice` to each of `chats` (the staff already alerted), in each one's language."""
    for chat_id in chats:
        staff = await session.scalar(select(User).where(User.telegram_id == chat_id))
        lang = (
            notify.language_of(staff, catalog.default_language)
            if staff
            else (catalog.default_language)
        )
        notify.tell(session, chat_id, lang, notice, catalog, city, now, kind="status",
                    case=case)  # fmt: skip


async def locate_emergency_case(
    session: AsyncSession,
    number: str,
    lat: float,
    lon: float,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    duty_chat: int | None = None,
) -> Case | None:
    """Attach the shared place (WGS84 degrees) to the urgent case and ping that grid's staff;
    a place outside every grid goes, as a map pin, to the duty chain that already has the
    case. `now` is aware UTC. None when no case has that number."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return None
    grid = city.grid_at(lat, lon)
    case.latitude, case.longitude, case.updated_at = lat, lon, now
    urgent = case.priority == URGENT  # no longer, once the resident said it is not
    alerted = await _alerted_chats(session, case)  # before any new ping below
    pin = Notice([Say("delivery.emergency_location_to_staff", number=case.number)])
    pin.extra["location"] = [lat, lon]
    if grid is not None and grid.id != case.grid_id:
        # first placed, or placed where the report it interrupted was and now shown elsewhere:
        # the staff of the grid it is in take it (those alerted before hear the place below);
        # an address of the grid it left is no longer where it is
        if case.grid_id is not None:
            case.address = None
        case.grid_id = grid.id
        await dispatch_to_grid(session, case, city, catalog, now, emergency=urgent,
                               duty_chat=duty_chat, already_told=alerted)  # fmt: skip
    elif grid is None and urgent:
        chain = await supervisors_chain(session, city, None, duty_chat, emergency=True)
        for recipient in chain:
            if recipient.chat_id in alerted:
                continue  # told below with everyone already alerted
            lang = catalog.default_language
            if recipient.user is not None:
                lang = notify.language_of(recipient.user, lang)
            notify.tell(session, recipient.chat_id, lang, pin, catalog, city, now,
                        kind="assignment", case=case)  # fmt: skip
    # Whoever was alerted before the place was known gets it too: the resident is told the
    # place was sent, so it must reach the people already on the way.
    shared = Notice([Say("delivery.emergency_pin_to_staff", number=case.number)])
    shared.extra["location"] = [lat, lon]
    await _tell_alerted(session, alerted, case, shared, city, catalog, now)
    return case


async def place_emergency_case(
    session: AsyncSession,
    number: str,
    address: str,
    grid_id: str | None,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    duty_chat: int | None = None,
) -> Case | None:
    """A typed place for the urgent case: kept as its address; a known estate's `grid_id`
    dispatches it to that grid. `now` is aware UTC. None when no case has that number."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return None
    case.address, case.updated_at = address, now
    alerted = await _alerted_chats(session, case)  # before any new ping below
    if case.priority == URGENT:
        place = Notice([Say("delivery.emergency_place_to_staff", number=case.number,
                            address=address)])  # fmt: skip
        await _tell_alerted(session, alerted, case, place, city, catalog, now)
    if grid_id is not None and grid_id != case.grid_id:  # as for a shared location, above
        case.grid_id = grid_id
        await dispatch_to_grid(
            session,
            case,
            city,
            catalog,
            now,
            emergency=case.priority == URGENT,
            duty_chat=duty_chat,
            already_told=alerted,
        )
    return case


async def stand_down(
    session: AsyncSession,
    case_id: int,
    reporter: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> tuple[Case, int] | None:
    """The resident says it is not an emergency: the urgent case becomes an ordinary report
    of its type's own priority, and every chat that was alerted about it is told. Returns the
    case and how many chats were told; None when the case is not this resident's urgent case
    (a stale or forged button)."""
    case = await session.get(Case, case_id)
    if case is None or case.reporter_id != reporter.id or case.priority != URGENT:
        return None
    case.priority = str(city.case_type(case.case_type).priority)
    case.updated_at = now
    record_note(session, case, reporter.id, now, "not an emergency (resident)",)
    alerted = await _alerted_chats(session, case)
    stood_down = Notice([say_case("emergency.stood_down_staff", case)])
    await _tell_alerted(session, alerted, case, stood_down, city, catalog, now)
    return case, len(alerted)


async def urgent_number(session: AsyncSession, case_id: int, reporter: User) -> str | None:
    """The number of the case with that id when it is `reporter`'s and still urgent; None
    otherwise (a stale or forged button)."""
    case = await session.get(Case, case_id)
    if case is None or case.reporter_id != reporter.id or case.priority != URGENT:
        return None
    return case.number


async def knows_where(session: AsyncSession, number: str) -> bool:
    """Does the case numbered `number` know where it is (a grid, a pin or an address)?"""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    return case is not None and knows_place(case)


async def case_id_of(session: AsyncSession, number: str) -> int:
    """The id of the case numbered `number`; 0 when there is none."""
    return int(await session.scalar(select(Case.id).where(Case.number == number)) or 0)


async def add_words(
    session: AsyncSession,
    number: str,
    text: str,
    now: datetime,
    city: CityConfig,
    catalog: Catalog,
) -> int:
    """A further message about the same emergency joins its case (no second urgent case; the
    text is cut to MAX_CASE_TEXT characters) and, while it is urgent, goes to the staff already
    alerted ("她穿着红色外套，75岁" is what they need on the way). Returns how many chats it went
    to; nothing happens when no case has that number. `now` is aware UTC; no flush."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return 0
    case.text, case.updated_at = f"{case.text}\n{text}"[:MAX_CASE_TEXT], now
    words = Notice([Say("delivery.emergency_words_to_staff", number=case.number), text])
    return await _relay_while_urgent(session, case, words, city, catalog, now)


async def settle_words(
    session: AsyncSession,
    number: str,
    text: str,
    reporter: User,
    now: datetime,
    city: CityConfig,
    catalog: Catalog,
) -> int:
    """The resident says the danger is over ("找到了，她在邻居家坐着呢", "found him, all good
    now"): the words join the case with an event saying so, and the staff already alerted hear
    it ("the resident says it is over … please check and close it"). The case stays urgent
    and open: the staff close it. Returns how many chats were told (0: nobody had been
    alerted, or no case has that number). `now` is aware UTC; no flush."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return 0
    case.text, case.updated_at = f"{case.text}\n{text}"[:MAX_CASE_TEXT], now
    record_note(session, case, reporter.id, now, f"resident says it is over: {text}"[:1000],)
    words = Notice([Say("delivery.emergency_settled_to_staff", number=case.number), text])
    return await _relay_while_urgent(session, case, words, city, catalog, now)


async def add_photo(
    session: AsyncSession,
    number: str,
    file_id: str,
    reporter: User,
    now: datetime,
    city: CityConfig,
    catalog: Catalog,
    *,
    caption: str = "",
) -> int:
    """Attach a photo (a Telegram file id) to the case numbered `number` and, while it is
    urgent, send it to the staff already alerted; its `caption` ("老人躺在单元门口") joins the
    case's words and goes with the photo. Returns how many chats it went to (0: none, or no
    case has that number). `now` is aware UTC; no flush."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    if case is None:
        return 0
    session.add(Attachment(case_id=case.id, kind="photo", telegram_file_id=file_id,
                           added_by_id=reporter.id, added_at=now))  # fmt: skip
    photo = Notice([Say("delivery.emergency_photo_to_staff", number=case.number)])
    caption = caption.strip()
    if caption:
        case.text, case.updated_at = f"{case.text}\n{caption}"[:MAX_CASE_TEXT], now
        photo.line(caption)
    photo.extra["photo"] = file_id
    return await _relay_while_urgent(session, case, photo, city, catalog, now)


async def _relay_while_urgent(
    session: AsyncSession,
    case: Case,
    notice: Notice,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> int:
    """More from the resident (words, a photo) to the staff already alerted, while the case
    is urgent; how many chats it went to (0 once stood down)."""
    if case.priority != URGENT:
        return 0
    alerted = await _alerted_chats(session, case)
    await _tell_alerted(session, alerted, case, notice, city, catalog, now)
    return len(alerted)


# Messages about an emergency keep coming for a while after the alarm; within this time
# they belong to its urgent case instead of opening another.
RECENT_EMERGENCY = timedelta(minutes=30)


async def recent_urgent_case(session: AsyncSession, reporter: User, now: datetime) -> str | None:
    """The number of this resident's urgent case opened within RECENT_EMERGENCY of `now`
    (aware UTC) and still open; None when there is none."""
    return await session.scalar(
        select(Case.number)
        .where(
            Case.reporter_id == reporter.id,
            Case.priority == URGENT,
            Case.created_at >= now - RECENT_EMERGENCY,
            Case.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .order_by(Case.id.desc())
        .limit(1)
    )


# "Found him" may come hours after the alarm: an urgent case still open from this long ago is
# the one it speaks of.
SETTLED_WINDOW = timedelta(hours=24)


async def open_urgent_case(
    session: AsyncSession, reporter: User, now: datetime, number: str | None = None
) -> str | None:
    """The number of this resident's newest urgent case still open and opened within
    SETTLED_WINDOW of `now` (aware UTC); with `number`, only that case. None when there is
    none (or it was stood down, or finished)."""
    query = select(Case.number).where(
        Case.reporter_id == reporter.id,
        Case.priority == URGENT,
        Case.created_at >= now - SETTLED_WINDOW,
        Case.status.in_([s.value for s in OPEN_STATUSES]),
    )
    if number is not None:
        query = query.where(Case.number == number)
    return await session.scalar(query.order_by(Case.id.desc()).limit(1))


async def has_place(session: AsyncSession, number: str) -> bool:
    """Has the urgent case its exact point yet? (A typed estate finds the grid, not the spot.)
    False when no case has that number."""
    case = (await session.execute(select(Case).where(Case.number == number))).scalar_one_or_none()
    return case is not None and case.latitude is not None


async def staff_were_told(session: AsyncSession, number: str) -> bool:
    """Has any chat been sent (or queued) an alert about this case? The resident hears "staff
    alerted" only then."""
    found = await session.scalar(
        select(OutboxMessage.id)
        .join(Case, Case.id == OutboxMessage.case_id)
        .where(Case.number == number, OutboxMessage.kind == "assignment")
        .limit(1)
    )
    return found is not None
