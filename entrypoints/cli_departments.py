"""`griddesk departments` and `griddesk invite --role department`: connect a department's
chat for 转办 without typing chat ids into config/departments.yaml.

The invite code is sent as `/join CODE` from the department's chat (a group with the bot in
it, or the liaison's private chat with the bot); `griddesk departments` shows which
departments have a contact chat and which cannot be forwarded to yet.
"""

from __future__ import annotations

from rich.table import Column, Table

from entrypoints.cli_admin import _admin_input, _run
from entrypoints.cli_common import out, settings_or_exit

DASH = "—"


def departments_command() -> None:
    """Each department (case_types.yaml), its case types, deadline and contact chat: bound
    by /join, from departments.yaml, or none (forwarding there is refused)."""
    from services.admin.departments import DepartmentRow, list_departments
    from services.admin.store import load_city, open_store

    settings = settings_or_exit()
    with _admin_input():
        city = load_city(settings)

    async def go() -> list[DepartmentRow]:
        async with open_store(settings) as db, db.transaction() as session:
            return await list_departments(session, city)

    rows = _run(go())
    table = Table(
        # the id is what an admin types (`invite --department ID`): never cut or wrapped
        Column("id", no_wrap=True, min_width=max((len(r.id) for r in rows), default=2)),
        "department", "case types", "deadline", "contact chat", "since",
        title="Departments (转办)",
        caption="bound: by /join CODE from the department's chat; departments.yaml: "
        "its contact_chat; none: a forward is refused until one is connected",
    )  # fmt: skip
    for row in rows:
        if row.contact == "none":
            contact = "[red]none[/red]"
        elif row.chat_kind:
            contact = f"{row.chat_kind} {row.chat} (bound)"
        else:
            contact = f"{row.chat} ({row.contact})"
        since = (
            row.bound_at.astimezone(city.timezone).strftime("%Y-%m-%d %H:%M")
            if row.bound_at
            else DASH
        )
        table.add_row(
            row.id, f"{row.name_zh}\n{row.name_en}", ", ".join(row.case_types), str(row.sla),
            contact, since,
        )  # fmt: skip
    out.print(table)
    missing = [row.id for row in rows if not row.can_forward]
    if missing:
        out.print(
            f"{len(missing)} without a contact chat; connect one with "
            f"`griddesk invite --role department --department {missing[0]}` and send the code "
            "from that department's chat",
            soft_wrap=True,
        )
