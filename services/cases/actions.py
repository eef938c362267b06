"""What staff and residents do to a case, each checked against who is asking.

Ids from buttons only say which case a person means; whether they may act
on it is decided here, from the caller's role and scope in the database.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import (
    DepartmentName,
    GridName,
    Notice,
    Say,
    case_values,
    fixed_or_not,
    press,
    say_case,
)
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from services import notify
from services.cases.filing import (
    arm_accept_clock,
    ping_assignee,
    restart_deadlines,
)
from services.cases.transitions import record_note, transition
from storage.models import Attachment, Case, CaseFollower, User

S = CaseStatus


class NotAllowed(Exception):
    """The caller may not do this to this case (or the case does not exist)."""


class ReopenWindowClosed(NotAllowed):
    """ "Not fixed" pressed too long after the case was resolved or closed: file a new one."""

    def __init__(self, case: Case, window: timedelta) -> None:
        super().__init__(f"case {case.number} finished more than {window} ago")
        self.case = case
        self.window = window


# How long after `resolved` / `closed` a resident's "not fixed" still reopens the case
# (GRIDDESK_REOPEN_WINDOW_DAYS); later, the old problem is a new report.
DEFAULT_REOPEN_WINDOW = timedelta(days=30)


class AlreadyHandled(Exception):
    """A button from an older state of the case (accept after escalation, a second accept):
    nothing changes, and the presser is told where the case is now."""

    def __init__(self, case: Case) -> None:
        super().__init__(f"case {case.id} is {case.status}")
        self.case = case


def in_supervisor_scope(supervisor: User, case: Case, city: CityConfig) -> bool:
    """An active supervisor, city-wide or of the community that holds the case (any
    supervisor for a case with no grid or community: an urgent case whose place is not known
    yet, or one stood down before it had one — every supervisor was alerted to it)."""
    if supervisor.role != "supervisor" or not supervisor.active:
        return False
    if supervisor.community_id is None:
        return True
    grid = city.grids.get(case.grid_id or "")
    community = grid.community_id if grid is not None else case.community_id
    if community is None:
        return True  # placed nowhere (an emergency, or one stood down): every supervisor's
    return community == supervisor.community_id


def may_work_on(actor: User, case: Case, city: CityConfig) -> bool:
    """The assigned worker, or a supervisor whose scope covers the case."""
    if actor.role == "worker" and actor.active and case.assignee_id == actor.id:
        return True
    return in_supervisor_scope(actor, case, city)


async def load_case(session: AsyncSession, case_id: int) -> Case:
    """The case, locked for update (PostgreSQL). Raises NotAllowed: no case with that id."""
    case = await session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise NotAllowed(f"no case {case_id}")
    return case


async def is_resident_of(session: AsyncSession, user: User, case: Case) -> bool:
    """The user reported the case or joined it (并单)."""
    if case.reporter_id == user.id:
        return True
    follower = await session.execute(
        select(CaseFollower.id).where(
            CaseFollower.case_id == case.id, CaseFollower.user_id == user.id
        )
    )
    return follower.first() is not None


class CaseDesk:
    """Case actions with their notifications; one instance per update.

    ``last_told``: how many people the last escalation or hand-back reached (0: nobody in
    the duty chain, and the worker must not hear "escalated to the supervisor").
    ``now`` is aware UTC; methods queue outbox rows, the caller commits. Staff methods raise
    NotAllowed (no such case, or the actor is neither its worker nor a supervisor in scope) and
    AlreadyHandled (a worker on an escalated case); IllegalTransition is a stale button.
    """

    def __init__(
        self,
        session: AsyncSession,
        city: CityConfig,
        catalog: Catalog,
        now: datetime,
        *,
        duty_chat: int | None = None,
    ) -> None:
        self.session, self.city, self.catalog, self.now = session, city, catalog, now
        self.duty_chat = duty_chat
        self.last_told = 0

    async def _staff_case(self, actor: User, case_id: int) -> Case:
        case = await load_case(self.session, case_id)
        if not may_work_on(actor, case, self.city):
            raise NotAllowed(f"user {actor.id} may not act on case {case_id}")
        if actor.role == "worker" and case.status == S.ESCALATED:
            raise AlreadyHandled(case)  # the supervisor has it now
        return case

    async def accept(self, actor: User, case_id: int) -> Case:
        """The worker (or a supervisor in scope) accepts; residents are told. Raises NotAllowed,
        or AlreadyHandled also when the case is not freshly assigned."""
        case = await self._staff_case(actor, case_id)
        if case.status != S.ASSIGNED:
            raise AlreadyHandled(case)  # only a fresh assignment is accepted (once)
        transition(self.session, case, S.ACCEPTED, actor.id, self.now)
        await self._tell_residents(case, "notify.accepted")
        return case

    async def start(self, actor: User, case_id: int) -> Case:
        """In progress, nobody told. Raises NotAllowed, AlreadyHandled, IllegalTransition."""
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.IN_PROGRESS, actor.id, self.now)
        return case

    async def add_note(
        self, actor: User, case_id: int, note: str, photo: str | None = None
    ) -> Case:
        """A same-status note, with a photo (file id) if given. Raises NotAllowed, or
        AlreadyHandled also when the case is no longer open."""
        case = await self._staff_case(actor, case_id)
        if case.status not in OPEN_STATUS_VALUES:
            raise AlreadyHandled(case)  # a finished case takes no more notes
        record_note(self.session, case, actor.id, self.now, note,)
        self._attach(case, actor, photo)
        return case

    async def resolve(self, actor: User, case_id: int, note: str, photo: str | None = None) -> Case:
        """Resolve with the note (and after-photo); residents get "fixed?" buttons.
        Raises NotAllowed, AlreadyHandled, IllegalTransition."""
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.RESOLVED, actor.id, self.now, note=note)
        self._attach(case, actor, photo)
        fixed = Notice([say_case("notify.resolved", case, note=note)]).row(*fixed_or_not(case.id))
        if photo:  # the after-photo comes with the note and the "fixed?" question
            fixed.extra["photo"] = photo
        await notify.tell_residents(self.session, case, fixed, self.city, self.catalog, self.now)
        return case

    async def escalate(self, actor: User, case_id: int, reason: str) -> Case:
        """Up the duty chain with the reason; sets ``last_told``. Raises NotAllowed,
        AlreadyHandled, IllegalTransition."""
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.ESCALATED, actor.id, self.now, note=reason)
        self.last_told = await self._tell_supervisors(
            case, "staff.escalated", with_department=True, reason=reason
        )
        return case

    async def hand_back(self, actor: User, case_id: int, reason: str) -> Case:
        """`Not my grid` or `hand back`: back to the supervisor for another assignee, left
        unassigned; sets ``last_told``. Raises NotAllowed, AlreadyHandled, IllegalTransition."""
        case = await self._staff_case(actor, case_id)
        transition(self.session, case, S.ESCALATED, actor.id, self.now, note=reason)
        case.assignee_id = None
        self.last_told = await self._tell_supervisors(case, "staff.handed_back", reason=reason)
        return case

    async def reassign(self, supervisor: User, case_id: int, worker_id: int) -> Case:
        """To another worker (user id): only the assignee changes. The case stays in the grid
        its place is in (a worker may cover a neighbouring grid; the resident, /desk and the
        statistics keep the place's grid), keeps its priority and due times; the accept clock
        restarts for the new worker, who is pinged as for any assignment
        (filing.ping_assignee: urgent as an emergency, with the photos).
        Raises NotAllowed (no case, scope, not an active worker), IllegalTransition."""
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
        arm_accept_clock(case, self.now, self.city)
        await ping_assignee(self.session, case, worker, self.city, self.catalog, self.now)
        # the residents hear whose worker has it now (the case's grid stays its place's)
        values = {**case_values(case), "grid": GridName(worker.grid_id or case.grid_id)}
        notice = Notice([Say("notify.assigned", **values)])
        await notify.tell_residents(self.session, case, notice, self.city, self.catalog, self.now)
        return case

    async def confirm_fixed(self, resident: User, case_id: int) -> Case:
        """The reporter's "fixed" closes the case; a follower's is their own answer (and lets
        them rate), so it never takes the reporter's answer away. Raises NotAllowed (not
        theirs), AlreadyHandled (not resolved, or already answered)."""
        case = await self._resident_case(resident, case_id)
        follower = await self._follower(resident, case)
        if follower is not None:
            if case.status not in (S.RESOLVED, S.CLOSED) or follower.answered_at is not None:
                raise AlreadyHandled(case)
            follower.answered_at, follower.fixed = self.now, True
            if case.reporter_id is not None or case.status != S.RESOLVED:
                return case  # the reporter decides; with no reporter left, the follower does
        if case.status != S.RESOLVED:
            raise AlreadyHandled(case)
        transition(self.session, case, S.CLOSED, resident.id, self.now, note="resident: fixed")
        await self._tell_residents(case, "notify.closed")
        return case

    async def rate(self, resident: User, case_id: int, stars: int) -> Case:
        """Each resident rates once (1-5 stars): the reporter on the closed case, a follower
        after their own "fixed". Raises NotAllowed (not theirs, stars out of range),
        AlreadyHandled (not closed or not confirmed fixed, or already rated)."""
        case = await self._resident_case(resident, case_id)
        if not 1 <= stars <= 5:
            raise NotAllowed("rating not possible")
        follower = await self._follower(resident, case)
        if follower is not None:
            if not follower.fixed or follower.rating is not None:
                raise AlreadyHandled(case)
            follower.rating = stars
            return case
        if case.status != S.CLOSED or case.reporter_id != resident.id or case.rating is not None:
            raise AlreadyHandled(case)
        case.rating = stars
        return case

    async def not_fixed(
        self, resident: User, case_id: int, window: timedelta = DEFAULT_REOPEN_WINDOW
    ) -> Case:
        """The reporter's "not fixed" reopens the case with a new due time and the reminders
        re-armed; a follower's is recorded and told to the worker and the supervisors.
        `window`: clock time after resolution. Raises NotAllowed, AlreadyHandled,
        ReopenWindowClosed (too late: a new report), IllegalTransition (not resolved/closed)."""
        case = await self._resident_case(resident, case_id)
        follower = await self._follower(resident, case)
        if follower is not None and case.reporter_id is not None:
            if case.status not in (S.RESOLVED, S.CLOSED) or follower.answered_at is not None:
                raise AlreadyHandled(case)
            follower.answered_at, follower.fixed = self.now, False
            await self._tell_supervisors(case, "delivery.follower_not_fixed")
            await self._tell_assignee(case, "delivery.follower_not_fixed")
            return case
        finished = case.closed_at or case.resolved_at
        if finished is not None and self.now - finished > window:
            raise ReopenWindowClosed(case, window)
        transition(
            self.session, case, S.REOPENED, resident.id, self.now, note="resident: not fixed"
        )
        # Open again: neither time stands, and the retention purge must not take it for done.
        case.resolved_at = case.closed_at = None
        restart_deadlines(case, self.city, self.now)
        await self._tell_residents(case, "notify.reopened")
        await self._tell_supervisors(case, "staff.reopened", reason="")
        await self._tell_assignee(case, "staff.reopened", reason="")
        return case

    async def _tell_residents(self, case: Case, key: str) -> None:
        notice = Notice([say_case(key, case)])
        await notify.tell_residents(self.session, case, notice, self.city, self.catalog, self.now)

    async def _tell_assignee(self, case: Case, key: str, **values: str) -> None:
        if case.assignee_id is None:
            return
        worker = await self.session.get(User, case.assignee_id)
        if worker is not None and worker.active:
            lang = notify.language_of(worker, self.catalog.default_language)
            notice = Notice([say_case(key, case, **values)])
            notify.tell(self.session, worker.telegram_id, lang, notice, self.catalog, self.city,
                        self.now, kind="status", case=case)  # fmt: skip

    async def _follower(self, resident: User, case: Case) -> CaseFollower | None:
        """The resident's follower row, unless they reported the case themselves."""
        if case.reporter_id == resident.id:
            return None
        found = await self.session.execute(
            select(CaseFollower).where(
                CaseFollower.case_id == case.id, CaseFollower.user_id == resident.id
            )
        )
        return found.scalar_one_or_none()

    async def _resident_case(self, resident: User, case_id: int) -> Case:
        case = await load_case(self.session, case_id)
        if not await is_resident_of(self.session, resident, case):
            raise NotAllowed("not this resident's case")
        return case

    async def _tell_supervisors(
        self, case: Case, key: str, *, with_department: bool = False, **values: str
    ) -> int:
        """The duty chain for the case's community (community supervisors, else city-wide,
        else the duty chat); escalations name the case type's department, which the
        supervisor forwards to. Returns how many were told."""
        from services.cases.duty import community_of, supervisors_chain

        chain = await supervisors_chain(
            self.session, self.city, community_of(case, self.city), self.duty_chat
        )
        notice = Notice([say_case(key, case, **values)])
        if with_department:
            notice.line(Say("staff.department", department=DepartmentName(case.case_type)))
        for recipient in chain:
            lang = self.catalog.default_language
            to_person = notice
            if recipient.user is not None:  # a person, not the duty chat, may reassign
                lang = notify.language_of(recipient.user, lang)
                reassign = press("button.reassign", "sv", "pick", case.id)
                to_person = Notice(notice.lines).row(reassign)
            notify.tell(self.session, recipient.chat_id, lang, to_person, self.catalog, self.city,
                        self.now, kind="escalation", case=case)  # fmt: skip
        return len(chain)

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
