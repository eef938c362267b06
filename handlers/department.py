"""A department's chat binds itself for 转办: `/join CODE` (a `griddesk invite --role
department` code) sent in the department's group, or by its liaison in a private chat.

handlers.supervisor takes `/join` in both kinds of chat and calls `say_bound` for these
codes; forwarded cases then go to this chat and whoever is in it answers (handlers.desk).
"""

from __future__ import annotations

from handlers.edge import Turn
from services.cases.forwarding import departments
from storage.models import Invite


def say_bound(turn: Turn, invite: Invite, in_group: bool) -> None:
    """Tell the chat that forwarded cases of its department come here from now on."""
    known = departments(turn.runtime.city)
    department = known.get(invite.department_id or "")
    name = department.name.get(turn.lang) if department else invite.department_id
    key = "office.department.bound_group" if in_group else "office.department.bound_private"
    turn.out.say(turn.t(key, department=name))
