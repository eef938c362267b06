"""`griddesk departments`: each department the case types name, and where its 转办 go.

A department can forward only with a contact chat: one bound by `/join CODE` from the
department's chat (stored in department_chats, the one that counts), else `contact_chat`
in config/departments.yaml. Chat ids are masked: a liaison's chat id is their Telegram id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from config.schema import CityConfig
from domain.calendar import SlaSpan
from services.admin.staff import mask_telegram_id
from services.cases.forwarding import DEFAULT_SLA, departments
from storage.models import DepartmentChat

BOUND, CONFIG, NONE = "bound", "departments.yaml", "none"


@dataclass(frozen=True)
class DepartmentRow:
    """One department as `griddesk departments` lists it."""

    id: str
    name_zh: str
    name_en: str
    case_types: tuple[str, ...]
    contact: str  # BOUND (by /join), CONFIG (contact_chat in the yaml) or NONE
    chat: str | None  # the masked chat id; None without a contact
    chat_kind: str | None  # "group" or "private" when bound
    bound_at: datetime | None
    sla: SlaSpan  # the department's own deadline for a forwarded case

    @property
    def can_forward(self) -> bool:
        """A supervisor's 转办 to this department is sent somewhere."""
        return self.contact != NONE


async def list_departments(session: AsyncSession, city: CityConfig) -> list[DepartmentRow]:
    """Every department in case_types.yaml order, with its contact chat (if any). Reads only."""
    bound = {
        row.department_id: row for row in (await session.execute(select(DepartmentChat))).scalars()
    }
    rows = []
    for department_id, department in departments(city).items():
        configured = city.department_contacts.get(department_id)
        chat = bound.get(department_id)
        if chat is not None:
            contact, chat_id, kind, since = BOUND, chat.chat_id, chat.chat_kind, chat.bound_at
        elif configured is not None:
            contact, chat_id, kind, since = CONFIG, configured.contact_chat, None, None
        else:
            contact, chat_id, kind, since = NONE, None, None, None
        rows.append(
            DepartmentRow(
                id=department_id,
                name_zh=department.name.zh,
                name_en=department.name.en,
                case_types=tuple(
                    t.id for t in city.case_types.values() if t.department.id == department_id
                ),
                contact=contact,
                chat=None if chat_id is None else mask_telegram_id(chat_id),
                chat_kind=kind,
                bound_at=since,
                sla=configured.sla if configured else DEFAULT_SLA,
            )
        )
    return rows
