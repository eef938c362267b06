"""Where each user is in a conversation (conversation_states), read once per update.

The handler edge loads the caller with every conversation row of theirs in one query
(`load_user_with_conversations`) and marks them as complete in the session; after that,
`ConversationRepository.load` and `all_for` answer from the session without SQL, and `save`
and `clear` keep the session's rows in step with what they write. A session that did not
preload (background jobs, the CLI) reads from the database as before.

In GridDesk's sessions (storage.db.StoreSession) a save is written just before the session's
next statement, whatever it is, or at commit: saves in a row (a step's draft, then the
buttons it showed) go to the database in one statement, and nothing reads around them. On
SQLite that statement, and a clear, even take no trip to the database's thread of their own
(storage.sqlite_driver.LATER): they go with the next statement or the COMMIT.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Delete, Insert, Table, bindparam, delete, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from storage.db import StoreSession
from storage.models import ConversationState, User
from storage.repositories import UserRepository
from storage.sqlite_driver import LATER

# session.info key: {telegram id: {conversation: row}} for users whose every row was loaded.
# Held here because the session's identity map only keeps weak references to clean rows.
_COMPLETE = "griddesk.conversations"
_STATES = cast(Table, ConversationState.__table__)
# session.info key: {(telegram id, conversation): upsert parameters} saved, not yet written.
_PENDING = "griddesk.conversation_writes"

# Built once: building a statement costs more than running it on SQLite.
_USER_WITH_CONVERSATIONS = (
    select(User, ConversationState)
    .outerjoin(ConversationState, ConversationState.telegram_id == User.telegram_id)
    .where(User.telegram_id == bindparam("telegram_id"))
)
# Neither write's result is read: on SQLite they go to the database with the session's next
# statement or its COMMIT, in one trip (storage.sqlite_driver.LATER).
_CLEAR: Delete = (
    delete(_STATES)
    .where(
        _STATES.c.telegram_id == bindparam("telegram_id"),
        _STATES.c.conversation == bindparam("conversation"),
    )
    .prefix_with(LATER)
)


@functools.cache
def _upsert(dialect: str) -> Insert:
    """One upsert instead of a read then a write (two instances may race on a new row)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(_STATES)
        .values(
            telegram_id=bindparam("telegram_id"),
            conversation=bindparam("conversation"),
            state=bindparam("state"),
            data=bindparam("data"),
            updated_at=bindparam("updated_at"),
        )
        .prefix_with(LATER)
    )
    return statement.on_conflict_do_update(
        index_elements=["telegram_id", "conversation"],
        set_={
            "state": statement.excluded.state,
            "data": statement.excluded.data,
            "updated_at": statement.excluded.updated_at,
        },
    )


def _send_pending(session: Session) -> None:
    """Write the rows saved since this session's last statement: one statement for all (the
    draft and the buttons shown are usually saved in the same update)."""
    pending: dict[tuple[int, str], dict[str, Any]] | None = session.info.pop(_PENDING, None)
    if pending:
        # On the session's connection: a Core statement needs none of the ORM's execution
        # steps (nor its events: this runs inside do_orm_execute).
        connection = session.connection()
        connection.execute(_upsert(connection.dialect.name), list(pending.values()))


def _drop_pending(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)


# A saved row is written before anything else the session runs (so every statement, ours or
# another module's, sees it, in the order it was saved) or at commit, and dropped on rollback.
event.listen(StoreSession, "do_orm_execute", lambda state: _send_pending(state.session))
event.listen(StoreSession, "before_commit", _send_pending)
event.listen(StoreSession, "after_soft_rollback", _drop_pending)


async def load_user_with_conversations(
    session: AsyncSession, telegram_id: int, now: datetime, last_language: str | None = None
) -> User:
    """The user (made a resident when new, with `last_language`) and, into the session, all
    their conversation rows: one query for a known user, two for a new one."""
    rows = (await session.execute(_USER_WITH_CONVERSATIONS, {"telegram_id": telegram_id})).all()
    known: dict[int, dict[str, ConversationState]] = session.info.setdefault(_COMPLETE, {})
    if rows:
        known[telegram_id] = {row.conversation: row for _, row in rows if row is not None}
        return rows[0][0]
    user, created = await UserRepository(session).create(telegram_id, now, last_language)
    if created:  # conversations are erased with their user: a new one has none
        known[telegram_id] = {}
    return user


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _known(self, telegram_id: int) -> dict[str, ConversationState] | None:
        """The user's rows when all were loaded in this session, else None (ask the database).
        A row deleted in bulk (erasure) is no longer persistent and drops out."""
        known: dict[str, ConversationState] | None = self.session.info.get(_COMPLETE, {}).get(
            telegram_id
        )
        if known is not None:
            for conversation, row in list(known.items()):
                if not inspect(row).persistent:
                    del known[conversation]
        return known

    def _in_session(
        self, known: dict[str, ConversationState] | None, telegram_id: int, conversation: str
    ) -> ConversationState | None:
        """The row as this session holds it: among the preloaded ones, else in its identity
        map (loaded earlier without a preload), else None."""
        row = known.get(conversation) if known is not None else None
        if row is None:
            key = self.session.identity_key(ConversationState, (telegram_id, conversation))
            found = self.session.identity_map.get(key)
            row = found if isinstance(found, ConversationState) else None
        return row

    async def load(self, telegram_id: int, conversation: str) -> ConversationState | None:
        """The user's row of this conversation, or None when they are not in it."""
        known = self._known(telegram_id)
        if known is not None:
            return known.get(conversation)
        return await self.session.get(ConversationState, (telegram_id, conversation))

    async def all_for(self, telegram_id: int) -> list[ConversationState]:
        """Every open conversation of a user, in one query (the registry picks among them)."""
        known = self._known(telegram_id)
        if known is not None:
            return list(known.values())
        result = await self.session.execute(
            select(ConversationState).where(ConversationState.telegram_id == telegram_id)
        )
        return list(result.scalars())

    async def save(
        self, telegram_id: int, conversation: str, state: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Write the user's row of this conversation (made or replaced)."""
        values = {"state": state, "data": dict(data), "updated_at": now}
        params = {"telegram_id": telegram_id, "conversation": conversation, **values}
        if isinstance(self.session.sync_session, StoreSession):  # written with the next statement
            pending = self.session.info.setdefault(_PENDING, {})
            pending[(telegram_id, conversation)] = params
        else:
            dialect = self.session.get_bind().dialect.name
            await self.session.execute(_upsert(dialect), params)
        # Keep the session's copy in step with the row just written, without reading it back.
        known = self._known(telegram_id)
        row = self._in_session(known, telegram_id, conversation)
        if row is not None:
            for name, value in values.items():
                set_committed_value(row, name, value)
        elif known is not None:
            row = ConversationState(telegram_id=telegram_id, conversation=conversation, **values)
            make_transient_to_detached(row)  # persistent and clean: nothing to flush
            self.session.add(row)
        if known is not None and row is not None:
            known[conversation] = row

    async def clear(self, telegram_id: int, conversation: str) -> None:
        """Leave the conversation (its row is deleted; nothing happens when there is none)."""
        self.session.info.get(_PENDING, {}).pop((telegram_id, conversation), None)  # moot now
        await self.session.execute(
            _CLEAR, {"telegram_id": telegram_id, "conversation": conversation}
        )
        known = self._known(telegram_id)
        row = self._in_session(known, telegram_id, conversation)
        if known is not None:
            known.pop(conversation, None)
        if row is not None:
            self.session.expunge(row)
