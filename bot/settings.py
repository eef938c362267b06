"""Settings: environment, then `.env`, then defaults (DESIGN.md "Settings").

Read once by the composition root and passed down; nothing reads the
environment at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
# The longest one Bot API call of the outbox may take with the Application's request settings
# (entrypoints.app): pool 10 s, connect 5 s, write 20 s (PTB's default for uploads), read 5 s.
# No send starts unless its claim has this much left, so a claim must outlast it.
SEND_CALL_BOUND_SECONDS = 40.0


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the key."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GRIDDESK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    database_url: str = Field(
        default_factory=lambda: f"sqlite+aiosqlite:///{Path.cwd() / 'griddesk.sqlite3'}"
    )
    nlu_backend: Literal["embedded", "rasa"] = "embedded"
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 1.5
    config_dir: Path = SHIPPED_CONFIG_DIR
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "griddesk")
    # Below this, the bot offers choices instead of trusting the classifier.
    nlu_confirm_threshold: float = 0.45
    default_language: Literal["zh", "en"] = "zh"
    max_text_length: int = 4096
    rate_limit_per_minute: int = Field(default=20, ge=1)
    # Phones, photos and exact places of closed cases are purged after this.
    retention_days: int = Field(default=180, ge=1)
    # Outbox rows already sent are deleted after this (their payloads hold what was said).
    outbox_sent_keep_days: float = Field(default=7.0, ge=0)
    # An unfinished draft (report, registration) is dropped after this without a word.
    draft_keep_hours: float = Field(default=72.0, gt=0)
    # "Not fixed" reopens a case only this long after it was resolved or closed.
    reopen_window_days: float = Field(default=30.0, gt=0)
    log_level: str = "INFO"
    # JSON lines for log collectors; default: JSON with a token, plain text in local mode.
    log_json: bool | None = None
    # Webhook mode (`griddesk run --webhook`).
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_path: str = "/telegram/webhook"
    webhook_public_url: str | None = None  # registered with setWebhook when set
    # An update still "processing" with no heartbeat from its owner for this long is taken
    # over by another instance (on Telegram's retry); the owner beats every third of it.
    webhook_takeover_seconds: float = Field(default=30.0, gt=0)
    # The last link of the duty chain (grid worker -> community supervisor -> city
    # supervisors -> this chat): a Telegram chat id, e.g. the street office's duty group.
    duty_chat_id: int | None = None
    # Bookkeeping kept this long, then pruned daily: webhook update ids, periodic job ticks.
    processed_updates_keep_days: float = Field(default=7.0, gt=0)
    job_ticks_keep_days: float = Field(default=30.0, gt=0)
    # After `resolved`, a case closes itself when the resident has not answered.
    followup_timeout_days: float = 3.0
    sla_scan_seconds: float = 60.0
    digest_hour: int = Field(default=8, ge=0, le=23)
    # Telegram's limits (https://core.telegram.org/bots/faq#broadcasting-to-users).
    send_per_second: float = 30.0
    send_per_chat_per_second: float = 1.0
    send_per_group_per_minute: float = 20.0
    # How long an outbox claim holds its rows; the rows of a dispatcher that died come back
    # after it. Longer than one Bot API call (SEND_CALL_BOUND_SECONDS) plus the flood waits
    # worth sitting out on the spot; a longer wait hands the row back instead.
    outbox_lease_seconds: float = 120.0

    @field_validator("outbox_lease_seconds")
    @classmethod
    def _lease_outlasts_a_call(cls, value: float) -> float:
        if value <= SEND_CALL_BOUND_SECONDS:
            raise ValueError(
                f"must be more than {SEND_CALL_BOUND_SECONDS:g} s, the longest one Bot API "
                "call may take, or no send could start inside a claim"
            )
        return value

    @property
    def local_mode(self) -> bool:
        return self.telegram_token is None or not self.telegram_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's errors into one that names the key."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"GRIDDESK_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"bad setting: {problems}") from exc
