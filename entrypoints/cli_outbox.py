"""`griddesk outbox failed`: the messages that will never arrive, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from entrypoints.cli_admin import _run, _settings
from entrypoints.cli_common import out

if TYPE_CHECKING:
    from services.admin.outbox import FailedMessage

outbox_app = typer.Typer(help="The outbox of messages to send.", no_args_is_help=True)


@outbox_app.command("failed")
def failed_command(
    limit: Annotated[int, typer.Option("--limit", help="newest rows to show")] = 50,
) -> None:
    """Rows that failed for good (blocked, refused by Telegram, attempts used up), newest first.

    Staff-bound failures also alerted the supervisors; residents' failures show only here."""
    from services.admin.outbox import failed_messages
    from services.admin.store import open_store

    settings = _settings()

    async def read() -> list[FailedMessage]:
        async with open_store(settings) as db, db.transaction() as session:
            return await failed_messages(session, limit)

    rows = _run(read())
    if not rows:
        out.print("No failed messages.")
        return
    table = Table("id", "created (UTC)", "kind", "to", "case", "attempts", "reason")
    for row in rows:
        table.add_row(
            str(row.id),
            row.created_at.strftime("%Y-%m-%d %H:%M"),
            row.kind,
            row.recipient,
            row.case_number or "-",
            str(row.attempts),
            row.reason,
            end_section=False,
        )
    out.print(table, soft_wrap=True)
