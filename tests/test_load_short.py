"""The load run of bench/load.py, shortened for CI: 50 residents for 20 seconds on SQLite.

The real `griddesk run` long-polls the HTTP stand-in while every resident loops over the whole
report flow. Nothing may be lost or stored twice; the full run is ``python -m bench.load``.
"""

from __future__ import annotations

from pathlib import Path

from bench.load import LoadPlan, run_load
from nlu.embedded import EmbeddedBackend


async def test_fifty_residents_for_twenty_seconds_lose_nothing(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    plan = LoadPlan(residents=50, duration=20.0, reply_timeout=60.0, ramp=2.0)
    result = await run_load(plan, tmp_path, cache_dir=nlu_cache_dir.parent)
    summary = "\n".join([*result.lines(), *result.odd_steps(), result.bot_log_tail])
    assert result.lost_updates == 0, summary
    assert result.duplicate_cases == 0, summary
    assert result.error_replies == 0 and result.unexpected_replies == 0, summary
    assert len(result.flows_completed) >= plan.residents // 2, summary  # the run did something
    assert sorted(result.stored_numbers) == sorted(result.flows_completed), summary
    assert result.bot_exit_code == 0, summary
