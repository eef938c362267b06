"""Staff say what colleagues should call them (`/name 王芳`, suggested right after `/join`),
so reassign lists and `staff list` show "王芳（新基第二网格）", not "新基第二网格 #1"."""

from __future__ import annotations

from telegram.ext import BaseHandler, CommandHandler, filters

from config.schema import CityConfig
from handlers.edge import Turn, edge
from storage.models import User

NAME_LIMIT = 32


def staff_label(user: User, city: CityConfig, lang: str) -> str:
    """The name and the grid (or the grid and the row number, until a name is given)."""
    grid = city.grids.get(user.grid_id or "")
    where = grid.name.get(lang) if grid else ""
    if not user.display_name:
        return f"{where} #{user.id}" if where else f"#{user.id}"
    if not where:
        return user.display_name
    return f"{user.display_name}（{where}）" if lang == "zh" else f"{user.display_name} ({where})"


async def on_name(turn: Turn) -> None:
    user = turn.caller.user
    if user.role not in ("worker", "supervisor") or not user.active:
        turn.out.say(turn.t("office.staff.name_only_staff"))
        return
    name = " ".join(turn.incoming.text.split()[1:])[:NAME_LIMIT]
    if not name:
        turn.out.say(turn.t("office.staff.name_usage"))
        return
    user.display_name = name
    turn.out.say(turn.t("office.staff.name_saved", name=name))


def build_staff_name_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CommandHandler("name", edge(on_name), filters=filters.ChatType.PRIVATE)]
