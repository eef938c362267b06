"""What staff and residents do to a case, each checked against who is asking.

Ids from buttons only say which case a person means; whether they may act
on it is decided here, from the caller's role and scope in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import CaseStatus
from bot.i18n import Catalog
from bot.services import notify
from bot.services.transitions import transition
from config.schema import CityConfig
from storage.models import Attachment, Case, CaseEvent, CaseFollower, User

S = CaseStatus


class NotAllowed(Exception):
    """The caller may not do this to this case (or the case does not exist)."""


def in_supervisor_scope(supervisor: User, case: Case, city: CityConfig) -> bool:
    if supervisor.role != "supervisor" or not supervisor.active:
        return False
    if supervisor.community_id is None:
        return True
    grid = city.grids.get(case.grid_id or "")
    community = grid.community_id if grid is not None else case.community_id
    return community == supervisor.community_id


def may_work_on(actor: User, case: Case, city: CityConfig) -> bool:
    """The assigned worker, or a supervisor whose scope covers the case."""
    if actor.role == "worker" and actor.active and case.assignee_id == actor.id:
        return True
    return in_supervisor_scope(actor, case, city)


async def load_case(session: AsyncSession, case_id: int) -> Case:
    case = await session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise NotAllowed(f"no case {case_id}")
    return case


async def is_resident_of(session: AsyncSession, user: User, case: Case) -> bool:
    if case.reporter_id == user.id:
        return True
    follower = await session.execute(
        select(CaseFollower.id).where(
            CaseFollower.case_id == case.id, CaseFollower.user_id == user.id
        )
    )
    return follower.first() is not None


class CaseDesk:
    """Case actions with their notifications; one instance per update."""

    def __init__(
        self, session: AsyncSession, city: CityConfig, catalog: Catalog, now: datetime
    ) -> None:
        self.session, self.city, self.catalog, self.now = session, city, catalog, now

    async def _staff_case(self, actor: User, case_id: int) -> Case:
        case = await load_case(self.session, case_id)
        if not may_work_on(actor, case, self.city):
            raise NotAllowed(f"user {actor.id} may not act on case {case_id}")
        return case

    async def accept(self, actor: User, case_id: int) -> Case:
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.ACCEPTED, actor.id, self.now)
        await notify.tell_residents(
            self.session, case, "notify.accepted", self.city, self.catalog, self.now
        )
        return case

    async def start(self, actor: User, case_id: int) -> Case:
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.IN_PROGRESS, actor.id, self.now)
        return case

    async def add_note(
        self, actor: User, case_id: int, note: str, photo: str | None = None
    ) -> Case:
        case = await self._staff_case(actor, case_id)
        self.session.add(
            CaseEvent(
                case_id=case.id,
                actor_id=actor.id,
                at=self.now,
                from_status=case.status,
                to_status=case.status,
                note=note,
            )
        )
        self._attach(case, actor, photo)
        return case

    async def resolve(self, actor: User, case_id: int, note: str, photo: str | None = None) -> Case:
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.RESOLVED, actor.id, self.now, note=note)
        self._attach(case, actor, photo)

        def follow_up(lang: str) -> list[list[tuple[str, str]]]:
            t = self.catalog.t
            return [
                [
                    (t(lang, "button.fixed"), f"fu:fixed:{case.id}"),
                    (t(lang, "button.not_fixed"), f"fu:notfixed:{case.id}"),
                ]
            ]

        await notify.tell_residents(
            self.session,
            case,
            "notify.resolved",
            self.city,
            self.catalog,
            self.now,
            buttons_for=follow_up,
            note=note,
        )
        return case

    async def escalate(self, actor: User, case_id: int, reason: str) -> Case:
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.ESCALATED, actor.id, self.now, note=reason)
        await self._tell_supervisors(case, "staff.escalated", with_department=True, reason=reason)
        return case

    async def hand_back(self, actor: User, case_id: int, reason: str) -> Case:
        """`Not my grid` or `hand back`: back to the supervisor for another assignee."""
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.ESCALATED, actor.id, self.now, note=reason)
        case.assignee_id = None
        await self._tell_supervisors(case, "staff.handed_back", reason=reason)
        return case

    async def reassign(self, supervisor: User, case_id: int, worker_id: int) -> Case:
        case = await load_case(self.session, case_id)
        worker = await self.session.get(User, worker_id)
        if not in_supervisor_scope(supervisor, case, self.city):
            raise NotAllowed("outside the supervisor's scope")
        if worker is None or worker.role != "worker" or not worker.active:
            raise NotAllowed("not an active worker")
        worker_grid = self.city.grids.get(worker.grid_id or "")
        if supervisor.community_id and (
            worker_grid is None or worker_grid.community_id != supervisor.community_id
        ):
            raise NotAllowed("worker outside the supervisor's scope")
        transition(
            self.session,
            case,
            S.ASSIGNED,
            supervisor.id,
            self.now,
            note=f"reassigned to user {worker.id}",
        )
        case.assignee_id = worker.id
        from bot.services.reporting import queue_assignment_ping

        queue_assignment_ping(self.session, case, worker, self.city, self.catalog, self.now)
        await notify.tell_residents(
            self.session, case, "notify.assigned", self.city, self.catalog, self.now
        )
        return case

    async def confirm_fixed(self, resident: User, case_id: int) -> Case:
        case = await self._resident_case(resident, case_id)
        if case.status != S.RESOLVED:
            raise NotAllowed("the case is not waiting for confirmation")
        transition(self.session, case, S.CLOSED, resident.id, self.now, note="resident: fixed")
        await notify.tell_residents(
            self.session, case, "notify.closed", self.city, self.catalog, self.now
        )
        return case

    async def rate(self, resident: User, case_id: int, stars: int) -> Case:
        case = await self._resident_case(resident, case_id)
        if not 1 <= stars <= 5 or case.status != S.CLOSED or case.reporter_id != resident.id:
            raise NotAllowed("rating not possible")
        case.rating = stars
        return case

    async def not_fixed(self, resident: User, case_id: int) -> Case:
        case = await self._resident_case(resident, case_id)
        transition(
            self.session, case, S.REOPENED, resident.id, self.now, note="resident: not fixed"
        )
        case.resolved_at = None
        await notify.tell_residents(
            self.session, case, "notify.reopened", self.city, self.catalog, self.now
        )
        await self._tell_supervisors(case, "staff.reopened", reason="")
        if case.assignee_id is not None:
            worker = await self.session.get(User, case.assignee_id)
            if worker is not None and worker.active:
                lang = notify.language_of(worker, self.catalog.default_language)
                values = notify.case_values(case, self.city, lang)
                notify.queue(
                    self.session,
                    worker,
                    self.catalog.t(lang, "staff.reopened", reason="", **values),
                    self.now,
                    kind="status",
                    case=case,
                )
        return case

    async def _resident_case(self, resident: User, case_id: int) -> Case:
        case = await load_case(self.session, case_id)
        if not await is_resident_of(self.session, resident, case):
            raise NotAllowed("not this resident's case")
        return case

    async def _tell_supervisors(
        self, case: Case, key: str, *, with_department: bool = False, **values: str
    ) -> None:
        """Escalations name the case type's department, which the supervisor forwards to."""
        from bot.services.reporting import supervisors_for

        for supervisor in await supervisors_for(
            self.session, self.city, case.grid_id, case.community_id
        ):
            lang = notify.language_of(supervisor, self.catalog.default_language)
            text = self.catalog.t(lang, key, **notify.case_values(case, self.city, lang), **values)
            if with_department:
                department = self.city.case_type(case.case_type).department.name.get(lang)
                text += "\n" + self.catalog.t(lang, "staff.department", department=department)
            buttons = [[(self.catalog.t(lang, "button.reassign"), f"sv:pick:{case.id}")]]
            notify.queue(
                self.session,
                supervisor,
                text,
                self.now,
                kind="escalation",
                case=case,
                buttons=buttons,
            )

    def _attach(self, case: Case, actor: User, photo: str | None) -> None:
        if photo:
            self.session.add(
                Attachment(
                    case_id=case.id,
                    kind="photo",
                    telegram_file_id=photo,
                    added_by_id=actor.id,
                    added_at=self.now,
                )
            )
