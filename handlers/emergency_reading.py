"""How the words after an alarm are read: about what the interrupted report was about, a
place (and whether it is a new one), a yes to "is it there?", or a new report of its own.
Used by handlers.emergency; pure readings of a turn's text.
"""

from __future__ import annotations

from bot.i18n import LANGUAGES
from handlers.edge import Turn
from handlers.typed import MIN_PART, answer_of, fold
from services.cases.duplicate_reading import read
from services.cases.urgent_reading import street_in
from services.places import TypedPlace, is_place_only, place_named_in, read_place


def same_subject(alarm: str, report: str) -> bool:
    """Does the alarm speak of what the interrupted report was about ("楼道里堆满了杂物" ->
    "现在杂物着火了！")? Then it is where the report is. Shared words of two characters or
    more, or a shared object, count; a shared single character does not."""
    said, reported = read(alarm), read(report)
    shared = said.words.keys() & reported.words.keys()
    return any(len(word) >= 2 and not word.startswith(("how:", "where:")) for word in shared)


def keeps_the_place(turn: Turn) -> bool:
    """ "📍 就在这里" (typed or tapped), its other words ("就在那里", "right here"), a part of it
    ("就在这") or a plain yes: the place it was filed at is right."""
    text = turn.incoming.text
    key = "button.place_is_here"
    return (
        turn.labels.means(text, key)
        or _part_of_one_label(turn, key, ("button.share_location",))
        or answer_of(text) == "yes"
    )


def _part_of_one_label(turn: Turn, key: str, others: tuple[str, ...]) -> bool:
    """The typed text is a part of this button's label (in either language) and of none of
    the `others` shown beside it, at least MIN_PART long: as a typed part of an inline label
    presses it (handlers.typed.typed_press), for a reply keyboard's button."""
    folded = fold(turn.incoming.text)
    if len(folded) < MIN_PART["latin" if folded.isascii() else "cjk"]:
        return False
    catalog = turn.runtime.catalog

    def labels(of: str) -> list[str]:
        return [fold(catalog.t(lang, of)) for lang in LANGUAGES]

    return any(folded in label for label in labels(key)) and not any(
        folded in label for other in others for label in labels(other)
    )


def names_a_place(turn: Turn) -> bool:
    """A place alone, or a known estate or community named ("不是这里，是在翠湖苑8栋"): a
    storey or a flat beside other words ("smoke is on the 3rd floor now") is news, not one."""
    city, text = turn.runtime.city, turn.incoming.text
    if is_place_only(city, text):
        return True
    place = read_place(city, text)
    return place.grid is not None or place.community is not None


def clearly_new_report(turn: Turn) -> bool:
    """A sure report of a type (not more about the emergency): it starts as itself."""
    prediction = turn.sure_prediction()
    return prediction is not None and prediction.intent == "report" and not prediction.question


def place_like(turn: Turn) -> bool:
    """Words that say where: a place alone, or a known estate, community, building or flat."""
    city, text = turn.runtime.city, turn.incoming.text
    if is_place_only(city, text):
        return True
    place = read_place(city, text)
    return place.grid is not None or place.community is not None or place.has_unit


def named_place(turn: Turn) -> TypedPlace | None:
    """A known estate or street named in the emergency's own words ("翠湖苑3栋楼道有烟",
    "fire at Emerald Lake Court"), with its grid; None when the words name none."""
    named = place_named_in(turn.runtime.city, turn.incoming.text)
    return named if named is not None and named.grid is not None else None


def typed_street(turn: Turn) -> TypedPlace | None:
    """A street typed in the words that no grid knows ("…at 25 Binhai Avenue"): kept as the
    urgent case's address (its staff see where), with no grid."""
    street = street_in(turn.incoming.text)
    return TypedPlace(address=street) if street else None
