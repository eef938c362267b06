"""/mydata as a person reads it: the export of ``services.privacy.export`` (plain data) in
their language, in messages that fit Telegram's limit. The JSON file beside it has every field
in full. Presentation, so it lives in bot/ beside the catalog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.i18n import Catalog
from config.schema import CityConfig
from config.volunteers import VolunteerConfig

MESSAGE_LIMIT = 4096  # Telegram's text limit; lines are short, so counting chars is enough
QUOTE_LIMIT = 120  # of a report's words in the summary; the file has all of them


def render_summary(
    data: dict[str, Any],
    city: CityConfig,
    catalog: Catalog,
    lang: str,
    skills: VolunteerConfig | None = None,
) -> list[str]:
    """export_user_data's dict as chat messages in `lang` (at least one, each at most
    MESSAGE_LIMIT characters); times shown in the city's local time, grids, skills, times
    of availability and drafts by their names (ids only when nothing names them)."""

    def t(key: str, **values: Any) -> str:
        return catalog.t(lang, f"privacy.summary.{key}", **values)

    def named(key: str, fallback: str) -> str:
        return catalog.t(lang, key) if catalog.has(lang, key) else fallback

    def day(iso: str | None) -> str:
        if not iso:
            return t("none")
        return datetime.fromisoformat(iso).astimezone(city.timezone).strftime("%Y-%m-%d %H:%M")

    def type_name(case_type: str) -> str:
        known = city.case_types.get(case_type)
        return known.name.get(lang) if known else case_type

    def status(value: str) -> str:
        return catalog.t(lang, f"status.{value}")

    account = data["account"]
    lines = [
        t("header"),
        t(
            "account",
            since=day(account["registered_at"]),
            language=_language(account, t),
            consent=day(account["consent_given_at"]),
        ),
    ]
    reports = data["reports"]
    lines.append(t("reports", count=len(reports)))
    for r in reports:
        words = r["text"] if len(r["text"]) <= QUOTE_LIMIT else r["text"][:QUOTE_LIMIT] + "…"
        lines.append(
            t(
                "report",
                number=r["number"],
                case_type=type_name(r["case_type"]),
                status=status(r["status"]),
                created=day(r["created_at"]),
                text=words,
            )
        )
        if r["contact_phone"]:
            lines.append(t("report_phone", phone=r["contact_phone"]))
        place = r["address"] or (
            f"{r['latitude']:.5f}, {r['longitude']:.5f}" if r["latitude"] is not None else None
        )
        if place:
            lines.append(t("report_place", place=place))
        if r["photos"]:
            lines.append(t("report_photos", count=len(r["photos"])))
    joined = data["joined_cases"]
    if joined:
        lines.append(t("joined", count=len(joined)))
        lines += [
            t(
                "joined_line",
                number=j["number"],
                case_type=type_name(j["case_type"]),
                status=status(j["status"]),
            )
            for j in joined
        ]
    if data["notes_written"]:
        lines.append(t("notes", count=len(data["notes_written"])))
    lines += _volunteer_lines(data["volunteer"], t, named, city, lang, skills)
    reads = data["staff_reads_of_your_data"]
    if reads:
        lines.append(t("reads", count=len(reads)))
        for read in reads:
            role = read["by"] if read["by"] in ("worker", "supervisor") else "other"
            field = "contact_phone" if read["field"] == "contact_phone" else None
            lines.append(
                t(
                    "read_line",
                    at=day(read["at"]),
                    by=t(f"role_{role}"),
                    field=t(f"field_{field}") if field else read["field"],
                    number=read["case"],
                    purpose=read["purpose"],
                )
            )
    if data["open_drafts"]:
        names = [named(f"privacy.summary.draft_{d['conversation']}", d["conversation"])
                 for d in data["open_drafts"]]  # fmt: skip
        lines.append(t("drafts", names=", ".join(names)))
    lines.append(t("footer"))
    return _pack(lines)


def _volunteer_lines(
    volunteer: dict[str, Any] | None,
    t: Any,
    named: Any,
    city: CityConfig,
    lang: str,
    skills: VolunteerConfig | None,
) -> list[str]:
    if volunteer is None:
        return [t("volunteer_none")]
    lines = []
    profile = volunteer["profile"]
    if profile is None:
        lines.append(t("volunteer_none"))
    else:
        lines.append(
            t(
                "volunteer",
                name=profile.get("display_name") or t("none"),
                grid=_grid_name(city, profile["grid"], lang) or t("none"),
                skills=", ".join(
                    skills.skill_name(s, lang) if skills else s for s in profile["skills"]
                )
                or t("none"),
                availability=", ".join(
                    named(f"volunteer.availability.{a}", a) for a in profile["availability"]
                )
                or t("none"),
                state=t("volunteer_active" if profile["active"] else "volunteer_inactive"),
            )
        )
    callouts = volunteer["callouts"]
    if callouts:
        hours = sum(c["hours"] or 0 for c in callouts)
        lines.append(t("callouts", count=len(callouts), hours=f"{hours:g}"))
    return lines


def _grid_name(city: CityConfig, grid_id: str | None, lang: str) -> str | None:
    grid = city.grids.get(grid_id or "")
    return grid.name.get(lang) if grid else grid_id


def _pack(lines: list[str]) -> list[str]:
    """Join lines into as few messages as fit; a single overlong line is cut."""
    messages: list[str] = []
    current = ""
    for line in lines:
        line = line[:MESSAGE_LIMIT]
        if current and len(current) + 1 + len(line) > MESSAGE_LIMIT:
            messages.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    messages.append(current)
    return messages


def _language(account: dict[str, Any], t: Callable[..., str]) -> str:
    """The language they chose, else the one they last wrote in (said as "automatic")."""
    chosen, written = account["language_chosen"], account.get("language_last_written")
    if chosen:
        return t(f"language_{chosen}")
    return t("language_auto", language=t(f"language_{written}")) if written else t("none")
