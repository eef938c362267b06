"""Personal data under PIPL: minimum necessary, shown only to who handles the case, and
recorded when staff see it. Export (/mydata) is in ``privacy_export``, erasure and retention
in ``privacy_erasure``; the map of every place personal data lives is docs/security.md.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, DataAccess, User


def mask_phone(phone: str | None) -> str:
    """138****5678: enough for a supervisor to tell numbers apart, not to call. "" for no
    phone; "***" for a number of 7 characters or fewer."""
    if not phone:
        return ""
    digits = phone.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:] if len(digits) > 7 else "***"


def record_access(
    session: AsyncSession, staff: User, case: Case, field: str, purpose: str, now: datetime
) -> None:
    """Record that `staff` was shown `field` (e.g. "contact_phone") of the case, and why;
    `now` is aware UTC. Adds the row, no flush (/mydata lists these to the resident)."""
    session.add(
        DataAccess(staff_id=staff.id, case_id=case.id, field=field, purpose=purpose, at=now)
    )
