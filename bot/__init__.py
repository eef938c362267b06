"""GridDesk's runtime: the Telegram application, its services and entry points."""

import os

# python-telegram-bot 22 hands durations (RetryAfter.retry_after, Voice.duration, ...) back as
# datetime.timedelta once PTB_TIMEDELTA is set, which its next major makes the only way; without
# it every read warns. Opt in for every process that imports GridDesk (bot, CLI, tests, benches).
os.environ.setdefault("PTB_TIMEDELTA", "true")
