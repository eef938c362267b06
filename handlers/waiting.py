"""/cancel for a step that waits for typed words: a worker's resolution note or escalation
reason, a resident's comment, a supervisor's call-back outcome, a /mycases note, a
department's answer, a /desk reason or note.

Without it, /cancel answered "nothing to cancel" while the step still waited, and the next
message (say, "stuck in traffic") became the resolution note of an urgent case. The newest
waiting step is cancelled and named; the report draft, the volunteer registration and the
call-out wizards have their own cancel.
"""

from __future__ import annotations

from handlers.edge import Turn
from storage.conversations import ConversationRepository

# Conversations whose step waits for typed words, by the name their row has; each has
# `conversation.wait_cancelled.<name>` in the catalog.
TYPED_WAITS = frozenset({"staff", "evaluation", "revisit", "mycase", "department_reply", "desk"})


async def cancel_typed_wait(turn: Turn) -> bool:
    """Cancel the newest step waiting for the caller's typed words; False when none waits."""
    conversations = ConversationRepository(turn.session)
    rows = [
        row
        for row in await conversations.all_for(turn.caller.telegram_id)
        if row.conversation in TYPED_WAITS
    ]
    if not rows:
        return False
    newest = max(rows, key=lambda row: row.updated_at)
    await conversations.clear(turn.caller.telegram_id, newest.conversation)
    turn.out.say(turn.t(f"conversation.wait_cancelled.{newest.conversation}"))
    return True
