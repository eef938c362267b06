"""Volunteer tables: profiles, call-outs, who answered them, monthly recognition.

A volunteer is a user with a profile, not a role: a resident or a supervisor can be one.
Only what recruiting needs is kept (a display name, skills, home grid, availability, consent
time).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class Volunteer(Base):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"), index=True)
    # The name call-out coordinators see on rosters; None for those who registered before
    # names were asked (they show as "Volunteer #<id>").
    display_name: Mapped[str | None] = mapped_column(String(64))
    # Subset of "weekdays", "evenings", "weekends".
    availability: Mapped[list[str]] = mapped_column(JSON)
    consent_at: Mapped[datetime]
    # False once withdrawn or once Telegram said the user blocked the bot.
    active: Mapped[bool] = mapped_column(default=True)
    blocked_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    registered_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class VolunteerSkill(Base):
    """One row per skill, so a call-out can target skills in SQL."""

    __tablename__ = "volunteer_skills"

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class CallOut(Base):
    __tablename__ = "callouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    skills: Mapped[list[str]] = mapped_column(JSON)  # wanted; empty: any
    needed: Mapped[int]
    target: Mapped[str] = mapped_column(String(16))  # "all", "grids" or "skills"
    target_grids: Mapped[list[str]] = mapped_column(JSON)
    # The coordinator's community; None: city-wide.
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.id"))
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="active")  # or "cancelled"
    batch_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    broadcast_total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    broadcast_started_at: Mapped[datetime | None]
    # Set once the final report went out; the broadcast watch skips finished call-outs.
    broadcast_finished_at: Mapped[datetime | None]
    progress_told_at: Mapped[datetime | None]
    roster_changed_at: Mapped[datetime | None]
    roster_told_at: Mapped[datetime | None]
    # Set when the coordinator was told the roster is full; cleared when a place opens.
    full_told_at: Mapped[datetime | None]


class CallOutResponse(Base):
    """A volunteer's answer to a call-out and what came of it."""

    __tablename__ = "callout_responses"
    __table_args__ = (
        UniqueConstraint("callout_id", "user_id"),
        Index("ix_callout_responses_callout_status", "callout_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callout_id: Mapped[int] = mapped_column(ForeignKey("callouts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # "joined" (on the roster), "waitlisted", "declined", "dropped".
    status: Mapped[str] = mapped_column(String(16))
    responded_at: Mapped[datetime]
    waitlisted_at: Mapped[datetime | None]
    rostered_at: Mapped[datetime | None]
    promoted: Mapped[bool] = mapped_column(default=False)
    # Set once each, so the reminder job is idempotent.
    reminded_day_at: Mapped[datetime | None]
    reminded_hour_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    check_in_method: Mapped[str | None] = mapped_column(String(16))  # "button" or "location"
    hours: Mapped[float | None] = mapped_column(Float)
    points: Mapped[int | None]
    # The volunteer's home grid when they served: the monthly recognition counts it there.
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"))


class VolunteerRecognition(Base):
    """One row per grid and month once its recognition went out (the unique key claims it)."""

    __tablename__ = "volunteer_recognitions"
    __table_args__ = (UniqueConstraint("grid_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[str] = mapped_column(ForeignKey("grids.id"))
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    volunteers: Mapped[int]
    hours: Mapped[float] = mapped_column(Float)
    sent_at: Mapped[datetime]
