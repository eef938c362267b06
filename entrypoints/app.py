"""The composition root: settings in, a wired Application out.

Tests and benchmarks call the same builders with their own settings,
clock and Telegram request objects.
"""

from __future__ import annotations

import html
import logging
import traceback

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

from bot.clock import Clock, SystemClock
from bot.i18n import Catalog, choose_language
from bot.nlu_labels import check_nlu_labels
from bot.observability import MeasuredUpdateProcessor
from bot.runtime import RUNTIME_KEY, Runtime
from bot.settings import Settings
from config.loader import load_config
from config.schema import CityConfig
from config.volunteers import volunteer_config
from entrypoints.background import attach_background, background_of
from entrypoints.nlu_engine import build_nlu
from handlers.basics import build_basic_handlers, build_fallback_handlers
from handlers.chat_status import build_chat_status_handlers
from handlers.desk import build_desk_handlers
from handlers.flood import FloodGuard, build_flood_handler
from handlers.privacy import build_privacy_handlers
from handlers.registry import build_handlers as build_conversation_handlers
from handlers.staff_name import build_staff_name_handlers
from handlers.supervisor import build_supervisor_handlers
from handlers.volunteer_entry import build_volunteer_handlers
from handlers.worker import build_worker_handlers
from nlu.types import NluBackend
from services.places import city_place_names
from storage.db import Database
from storage.migrate import upgrade
from storage.sync import sync_city

log = logging.getLogger(__name__)
LOCAL_TOKEN = "0:local"
SEND_POOL_SIZE = 32  # python-telegram-bot needs a token-shaped string even offline


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    nlu: NluBackend | None = None,
    db: Database | None = None,
    warn_holidays: bool = True,
) -> Runtime:
    """Load config, catalogs and the NLU model; open (not yet migrate) the database.

    ``warn_holidays``: log when the holiday data runs out soon (the bot's start-up); one-shot
    admin commands pass False (``griddesk config check`` says it instead).
    """
    city = load_config(settings.config_dir)
    check_nlu_labels(city)  # a case type or FAQ topic the NLU cannot name stops start-up
    clock = clock or SystemClock()
    if warn_holidays and (warning := holiday_warning(city, clock)):
        log.warning("%s", warning)
    volunteer_config(settings.config_dir)  # a bad volunteer.yaml stops start-up here
    catalog = Catalog.load(default_language=settings.default_language)
    return Runtime(
        settings=settings,
        db=db or Database(settings.database_url),
        city=city,
        catalog=catalog,
        nlu=nlu or build_nlu(settings, city_place_names(city)),
        clock=clock,
    )


def holiday_warning(city: CityConfig, clock: Clock) -> str | None:
    """What to tell when due times may soon fall past the holiday data, else None."""
    if not city.calendar.holiday_data_runs_out(clock.now().astimezone(city.timezone).date()):
        return None
    return (
        f"the holiday data ends {city.calendar.holidays_known_until}: update chinese-calendar, "
        "or list next year's holidays and make-up working days in config/holidays.yaml, or due "
        "times will count them as ordinary days"
    )


async def prepare_database(runtime: Runtime) -> None:
    """Bring the schema to head and mirror the city's communities and grids."""
    await upgrade(runtime.db)
    async with runtime.db.transaction() as session:
        await sync_city(session, runtime.city)


def build_application(
    runtime: Runtime,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool | None = None,
    prepare: bool = False,
) -> Application:  # type: ignore[type-arg]
    settings = runtime.settings
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else LOCAL_TOKEN
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder()
        .token(token)
        .base_url(settings.telegram_base_url)
        # One resident's updates must not overtake each other, but different
        # residents' updates may run side by side.
        .concurrent_updates(MeasuredUpdateProcessor(runtime.metrics))
    )
    if request is not None:
        builder = builder.request(request)
    else:
        # The outbox dispatcher sends to many chats at once; PTB's default pool is one
        # connection, which would queue them.
        builder = builder.connection_pool_size(SEND_POOL_SIZE).pool_timeout(10.0)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    # No AIORateLimiter: the outbox dispatcher is the one limiter on the send path (it counts
    # and waits out 429s itself, inside its claim's lease); `rate_limit` is kept for callers.
    del rate_limit
    if prepare:
        # run_polling / run_webhook: migrate first, then start the dispatcher.
        async def _prepare(app: Application) -> None:  # type: ignore[type-arg]
            await prepare_database(runtime)
            background_of(app).start()

        async def _stop(app: Application) -> None:  # type: ignore[type-arg]
            await background_of(app).stop()

        builder = builder.post_init(_prepare).post_stop(_stop)
    app = builder.build()
    attach_background(app, runtime)
    app.bot_data[RUNTIME_KEY] = runtime
    handlers = [
        *build_basic_handlers(),
        *build_chat_status_handlers(),
        *build_worker_handlers(),
        *build_supervisor_handlers(),
        *build_desk_handlers(),
        *build_staff_name_handlers(),
        *build_privacy_handlers(),
        *build_volunteer_handlers(),
        *build_conversation_handlers(),  # messages and buttons: handlers.registry
        *build_fallback_handlers(),  # last: only what nothing else took
    ]
    # Group -1 runs first; the flood guard stops an update before any handler sees it.
    app.add_handler(build_flood_handler(FloodGuard(settings.rate_limit_per_minute)), group=-1)
    for handler in handlers:
        app.add_handler(handler)
    app.add_error_handler(on_error)
    return app


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the stack; tell the resident something kind and true."""
    error = context.error
    log.error(
        "error while handling an update: %s",
        "".join(
            traceback.format_exception(type(error), error, error.__traceback__) if error else []
        ),
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    runtime = context.application.bot_data.get(RUNTIME_KEY)
    if not isinstance(runtime, Runtime):
        return
    user = update.effective_user
    message = update.effective_message
    lang = choose_language(
        None,
        message.text if message else None,
        user.language_code if user else None,
        runtime.settings.default_language,
    )
    try:
        await update.effective_chat.send_message(
            html.escape(runtime.catalog.t(lang, "error.internal"))
        )
    except Exception:  # the reply itself failed; the log above has the cause
        log.exception("could not tell the user about an error")
