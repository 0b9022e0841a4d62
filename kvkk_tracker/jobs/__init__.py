"""Scheduled jobs: plain functions `job(session, now)`; the scheduler is only their clock.

Under `kvkk-tracker run` the scheduler runs embedded when SCHEDULER_ENABLED (the development
default). In production web workers keep it off and `kvkk-tracker scheduler` runs it as one
dedicated process: APScheduler would otherwise start in every forked worker.
"""

from __future__ import annotations

import atexit
import logging
import os

import click
from flask import Flask
from flask.helpers import get_debug_flag

from ..services.reminders import SweepSettings
from ..services.retention import RetentionSettings

log = logging.getLogger(__name__)
_TRUE = {"1", "true", "yes", "on"}


def validate_settings(app: Flask) -> None:
    """Refuse to start with settings the law or the ladder cannot work with."""
    try:
        RetentionSettings.from_config(app.config)
        SweepSettings.from_config(app.config, calendar=None)
    except ValueError as error:
        raise RuntimeError(f"invalid deadline-engine setting: {error}") from None


def should_embed(app: Flask) -> bool:
    """Start in-process only under `run` (not `db upgrade`, `sweep`, `users`...).

    Outside the CLI (a WSGI server importing create_app) only an explicit SCHEDULER_ENABLED
    in the environment starts it; the development default alone never does.
    """
    if not app.config.get("SCHEDULER_ENABLED") or app.testing:
        return False
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return (os.environ.get("SCHEDULER_ENABLED") or "").strip().lower() in _TRUE
    if ctx.info_name != "run":
        return False
    reload = ctx.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    # With the reloader, the watching parent loads the app too: only its child runs jobs.
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_embedded(app: Flask):
    from .scheduler import build_scheduler

    scheduler = build_scheduler(app, blocking=False)
    scheduler.start()
    app.extensions["kvkk_scheduler"] = scheduler
    atexit.register(lambda: scheduler.running and scheduler.shutdown(wait=False))
    log.info("embedded scheduler started")
    return scheduler


def init_app(app: Flask) -> None:
    validate_settings(app)
    if should_embed(app):
        start_embedded(app)
