"""Photos, albums and a phone number for a report, and a report that starts with a photo.

Media follow rules of their own (at most MAX_PHOTOS photos; an album is one acknowledgement
while every photo of it is kept; a caption joins the description, or answers "where is it?"
when it is a place; only the resident's own contact is taken), and they can arrive at any
step, so they are read here rather than in each step. A photo-first report waits in the
DESCRIBE step for words (describe_photo).
"""

from __future__ import annotations

from handlers.edge import Turn, has_words
from handlers.report_draft import DESCRIBE, DETAILS, LOCATION, load_draft, save_draft
from handlers.report_place import take_typed_place
from handlers.report_steps import MAX_PHOTOS, begin, remind_step
from services.cases.drafts import ReportDraft
from services.places import is_place_only, read_place


async def add_photo(turn: Turn, state: str, draft: ReportDraft) -> None:
    """A photo for the open report; its caption joins the description. An album is one
    acknowledgement: its later photos are kept quietly."""
    session, rt, caller, out, incoming = (
        turn.session,
        turn.runtime,
        turn.caller,
        turn.out,
        turn.incoming,
    )
    album = incoming.album
    seen_album = album is not None and album in draft.albums
    if len(draft.photo_file_ids) >= MAX_PHOTOS:
        if album is None or album not in draft.albums_over:  # told once per album
            key = "report.album_over" if album is not None else "report.too_many_photos"
            out.say(turn.t(key, limit=MAX_PHOTOS))
            if album is not None:
                draft.albums_over.append(album)
                await save_draft(session, rt, caller, state, draft)
        return
    draft.photo_file_ids.append(incoming.photo_file_id or "")
    if incoming.album is not None and not seen_album:
        draft.albums.append(incoming.album)
    # A caption at "where is it?" that is a place answers it ("翠湖苑3栋" under the photo);
    # an emoji caption ("👍", "[强]") says nothing to add.
    place = state == LOCATION and incoming.text and is_place_only(rt.city, incoming.text)
    words = bool(incoming.text) and has_words(incoming.text) and not place
    if words:
        draft.add_piece(incoming.message_id, incoming.text, rt.settings.max_text_length)
    await save_draft(session, rt, caller, state, draft)
    if album is not None and not seen_album:  # one answer for the album: its count is not known
        out.say(turn.t("report.album_added", limit=MAX_PHOTOS))
    elif album is None:
        key = "report.photo_caption_added" if words else "report.photo_added"
        out.say(turn.t(key, count=len(draft.photo_file_ids), limit=MAX_PHOTOS))
    if place:
        await take_typed_place(turn, draft)
    elif not seen_album and state != DETAILS:  # an album's later photos are kept quietly
        await remind_step(session, rt, caller, state, draft, out)


async def start_with_photo(turn: Turn) -> None:
    """A photo with no report open: with a caption the report starts from it; without,
    the bot asks for a sentence. Photos of one album share the draft."""
    session, rt, caller, out, incoming = (
        turn.session,
        turn.runtime,
        turn.caller,
        turn.out,
        turn.incoming,
    )
    photos, albums = [incoming.photo_file_id or ""], [incoming.album] if incoming.album else []
    if incoming.text and turn.understanding is not None:
        await begin(
            session,
            rt,
            caller,
            incoming.text,
            turn.understanding.prediction,
            out,
            photo_file_ids=photos,
            message_id=incoming.message_id,
            albums=albums,
        )
        return
    draft = ReportDraft(text="", language=caller.lang, photo_file_ids=photos, albums=albums)
    await save_draft(session, rt, caller, DESCRIBE, draft)
    out.say(turn.t("report.describe_photo"))


async def start_with_place(turn: Turn) -> None:
    """A place alone with nothing open (`翠湖苑 3栋`, "Fire Station Road"): "what's the
    problem there?", the place kept for the words that follow (they begin the report)."""
    text = " ".join(turn.incoming.text.split())
    place = read_place(turn.runtime.city, text)
    draft = ReportDraft(text="", language=turn.caller.lang)
    draft.address, draft.place_message_id = place.address, turn.incoming.message_id
    if place.grid is not None:
        draft.grid_id, draft.community_id = place.grid.id, place.grid.community_id
    elif place.community is not None:
        draft.community_id = place.community.id
    await save_draft(turn.session, turn.runtime, turn.caller, DESCRIBE, draft)
    turn.out.say(turn.t("report.what_problem_at", place=place.address))


async def describe_photo(turn: Turn, draft: ReportDraft) -> None:
    """Words after a photo-first (or place-first) report: now the type can be understood; a
    place given first stays the report's unless the words name another."""
    understanding = turn.understanding
    if understanding is None:
        key = "report.describe_photo" if draft.photo_file_ids or not draft.address else ""
        turn.out.say(turn.t(key or "report.what_problem_at", place=draft.address or ""))
        return
    await begin(
        turn.session,
        turn.runtime,
        turn.caller,
        turn.incoming.text,
        understanding.prediction,
        turn.out,
        photo_file_ids=draft.photo_file_ids,
        message_id=turn.incoming.message_id,
        albums=draft.albums,
    )
    await _keep_place_given_first(turn, draft)


async def _keep_place_given_first(turn: Turn, first: ReportDraft) -> None:
    """The place typed before the words goes to the report just begun, if its words name
    none (ask_location then skips "where is it?" when the grid is known)."""
    if not first.address:
        return
    opened = await load_draft(turn.session, turn.caller)
    if opened is None or opened[1].address or opened[1].grid_id or opened[1].latitude:
        return
    state, draft = opened
    draft.address, draft.place_message_id = first.address, first.place_message_id
    draft.grid_id, draft.community_id = first.grid_id, first.community_id
    await save_draft(turn.session, turn.runtime, turn.caller, state, draft)


async def keep_contact(turn: Turn, state: str, draft: ReportDraft) -> None:
    """The resident's own shared contact: its phone number goes with the report (and counts
    as consent); someone else's contact is refused."""
    session, rt, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    if not turn.incoming.own_contact:
        out.say(turn.t("report.contact_not_own"))
        return
    draft.contact_phone = (turn.incoming.phone or "")[:32]
    if caller.user.consent_at is None:
        caller.user.consent_at = rt.clock.now()
    out.say(turn.t("report.contact_saved"))
    await save_draft(session, rt, caller, state, draft)
