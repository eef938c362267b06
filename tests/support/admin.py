"""The admin CLI and a store seeded with known cases and staff (a hand-counted November)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from config.loader import SHIPPED_CONFIG_DIR, load_config
from config.schema import CityConfig
from entrypoints.cli_admin import backup_command, cases_app, grids_app, staff_app, stats_command
from services.admin.period import parse_period
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case, CaseEvent, User
from storage.sync import sync_city

CITY = load_config(SHIPPED_CONFIG_DIR)


NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


FAR = datetime(2099, 1, 1, tzinfo=UTC)


RESIDENT_TG, WORKER_TG = 5550001234567, 9000000011


RESIDENT_PHONE = "13900001111"


H, M = timedelta(hours=1), timedelta(minutes=1)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def admin_cli() -> typer.Typer:
    """The same wiring as entrypoints/cli.py's `app`."""
    app = typer.Typer()
    app.add_typer(grids_app, name="grids")
    app.add_typer(staff_app, name="staff")
    app.add_typer(cases_app, name="cases")
    app.command("stats")(stats_command)
    app.command("backup")(backup_command)
    return app


def cli_env(database_url: str, config_dir: Path = SHIPPED_CONFIG_DIR) -> dict[str, str]:
    return {
        "GRIDDESK_DATABASE_URL": database_url,
        "GRIDDESK_CONFIG_DIR": str(config_dir),
        "GRIDDESK_LOG_LEVEL": "WARNING",
        "COLUMNS": "220",
    }


class Seeder:
    def __init__(self, session: AsyncSession, reporter: User, worker: User) -> None:
        self.session = session
        self.reporter, self.worker = reporter, worker
        self.cases: list[Case] = []

    def add(
        self,
        grid: str | None,
        case_type: str,
        status: str,
        created: datetime,
        due: datetime,
        *,
        accepted: tuple[timedelta, ...] = (),
        resolved: timedelta | None = None,
        resolved_column: bool = True,
        closed: timedelta | None = None,
        rating: int | None = None,
        reporters: int = 1,
        kind: str = "report",
        community: str | None = None,
        text: str = "路灯坏了",
    ) -> Case:
        n = len(self.cases) + 1
        case = Case(
            number=f"GD-2025-{n:06d}",
            kind=kind,
            case_type=case_type,
            status=status,
            priority="normal",
            text=text,
            language="zh",
            grid_id=grid,
            community_id=community,
            reporter_id=self.reporter.id,
            assignee_id=self.worker.id if accepted else None,
            contact_phone=RESIDENT_PHONE,
            reporter_count=reporters,
            created_at=created,
            updated_at=created,
            accept_due_at=created + H,
            due_at=due,
            resolved_at=created + resolved if resolved and resolved_column else None,
            closed_at=created + closed if closed else None,
            rating=rating,
        )
        self.session.add(case)
        self.cases.append(case)
        return case

    async def events(self, case: Case, *moves: tuple[timedelta, str]) -> None:
        await self.session.flush()
        previous = None
        for offset, to_status in ((timedelta(0), "new"), *moves):
            self.session.add(
                CaseEvent(
                    case_id=case.id,
                    actor_id=self.worker.id,
                    at=case.created_at + offset,
                    from_status=previous,
                    to_status=to_status,
                )
            )
            previous = to_status


async def seed_known_cases(db: Database, city: CityConfig = CITY) -> None:
    await upgrade(db)
    async with db.transaction() as session:
        await sync_city(session, city)
    async with db.transaction() as session:
        reporter = User(telegram_id=RESIDENT_TG, role="resident", created_at=at(10, 1, 0))
        worker = User(
            telegram_id=WORKER_TG, role="worker", grid_id="xinji-01", created_at=at(10, 1, 0)
        )
        session.add_all([reporter, worker])
        await session.flush()
        s = Seeder(session, reporter, worker)
        c1 = s.add(
            "xinji-01",
            "sanitation",
            "closed",
            at(11, 2, 1),
            at(11, 4, 1),
            accepted=(30 * M,),
            resolved=4 * H,
            closed=24 * H,
            rating=5,
            reporters=2,
            text="垃圾没人清，电话13812345678 或 0769-22880001",
        )
        c2 = s.add(
            "xinji-01",
            "sanitation",
            "resolved",
            at(11, 3, 2),
            at(11, 3, 10),
            accepted=(90 * M,),
            resolved=10 * H,
            resolved_column=False,
            text='=HYPERLINK("http://x") rubbish',
        )
        c3 = s.add(
            "xinji-01", "noise", "in_progress", at(11, 5, 0), at(11, 6, 0), accepted=(2 * H,)
        )
        c4 = s.add("yangguang-01", "noise", "assigned", at(11, 10, 3), FAR)
        c5 = s.add(
            "yangguang-01",
            "noise",
            "closed",
            at(11, 11, 0),
            at(11, 12, 0),
            accepted=(20 * M, 1 * H),
            resolved=3 * H,
            closed=48 * H,
            rating=3,
        )
        c6 = s.add("yangguang-01", "noise", "cancelled", at(11, 12, 0), at(11, 13, 0))
        c7 = s.add(
            None,
            "other",
            "new",
            at(11, 15, 0),
            FAR,
            kind="consultation",
            community="yangguang",
            text="低保怎么申请？",
        )
        c8 = s.add(
            "xinji-01",
            "sanitation",
            "closed",
            at(10, 31, 16, 30),
            at(11, 1, 16, 30),
            accepted=(H,),
            resolved=2 * H,
            closed=3 * H,
            rating=4,
        )
        c9 = s.add("xinji-01", "sanitation", "new", at(11, 30, 16, 30), at(12, 5, 0))
        await s.events(
            c1, (10 * M, "assigned"), (30 * M, "accepted"), (4 * H, "resolved"), (24 * H, "closed")
        )
        await s.events(c2, (90 * M, "accepted"), (10 * H, "resolved"))
        await s.events(c3, (2 * H, "accepted"), (3 * H, "in_progress"))
        await s.events(c4, (M, "assigned"))
        await s.events(
            c5,
            (20 * M, "accepted"),
            (40 * M, "assigned"),
            (H, "accepted"),
            (3 * H, "resolved"),
            (48 * H, "closed"),
        )
        await s.events(c6, (H, "cancelled"))
        await s.events(c7)
        await s.events(c8, (H, "accepted"), (2 * H, "resolved"), (3 * H, "closed"))
        await s.events(c9)


NOVEMBER = parse_period("2025-11-01", "2025-11-30", CITY.timezone)


def _seed_sqlite_file(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def go() -> None:
        db = Database(url)
        try:
            await seed_known_cases(db)
        finally:
            await db.dispose()

    asyncio.run(go())
    return url


WORKER, IDLE_WORKER, SUPERVISOR, CITY_SUPERVISOR, RESIDENT = (
    7100000001111,
    7100000002222,
    7100000003333,
    7100000004444,
    7100000005555,
)


T0 = datetime(2025, 11, 1, tzinfo=UTC)


async def seed_staff(db: Database) -> None:
    await upgrade(db)
    async with db.transaction() as session:
        await sync_city(session, load_config(SHIPPED_CONFIG_DIR))
    async with db.transaction() as session:
        users = {
            tg: User(telegram_id=tg, role=role, grid_id=grid, community_id=community, created_at=T0)
            for tg, role, grid, community in [
                (WORKER, "worker", "xinji-01", None),
                (IDLE_WORKER, "worker", "hongmian-02", None),
                (SUPERVISOR, "supervisor", None, "xinji"),
                (CITY_SUPERVISOR, "supervisor", None, None),
                (RESIDENT, "resident", None, None),
            ]
        }
        session.add_all(users.values())
        await session.flush()
        for n, status in enumerate(["assigned", "in_progress", "closed", "accepted"], start=1):
            session.add(
                Case(
                    number=f"GD-2025-{n:06d}",
                    case_type="sanitation",
                    status=status,
                    priority="normal",
                    text="垃圾",
                    language="zh",
                    grid_id="xinji-01",
                    reporter_id=users[RESIDENT].id,
                    assignee_id=users[WORKER].id,
                    created_at=T0,
                    updated_at=T0,
                    accept_due_at=T0 + timedelta(hours=2),
                    due_at=T0 + timedelta(days=n),
                )
            )
