"""The `kvkk-tracker` command: Flask's CLI plus the project's own commands."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .domain.calendar import HOLIDAYS_SOURCE, HolidayCalendar
from .domain.deadlines import compute_deadline


def _app_factory():
    from . import create_app

    return create_app()


def _parse_received(value: str) -> datetime:
    """Parse an ISO date or datetime; a bare date means midnight Istanbul time."""
    text = value.strip()
    try:
        if "T" not in text and " " not in text:
            return datetime.fromisoformat(text + "T00:00")
        return datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO date or datetime; use e.g. 2026-04-01 or "
            "2026-04-01T09:30+03:00", param_hint="'RECEIVED_AT'") from None


@click.command("deadline")
@click.argument("received_at")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.option("--lang", type=click.Choice(["tr", "en"]), default="tr", show_default=True)
@with_appcontext  # FlaskGroup pushes one, app.cli and test_cli_runner() do not
def deadline_command(received_at: str, as_json: bool, lang: str) -> None:
    """Show the Art. 13 deadline for an application received at RECEIVED_AT.

    A naive value is Istanbul local time; an offset such as +00:00 is honoured. The holidays
    (the admin's overrides included) and deadline settings are the ones the app applies to
    every case it records. Without a migrated database, or one that does not answer within a
    few seconds, the command still answers, from the package calendar alone, and says so on
    stderr.
    """
    from .calendar_source import deadline_policy

    moment = _parse_received(received_at)
    calendar = _holiday_calendar(lang)
    try:
        result = compute_deadline(moment, calendar, deadline_policy())
    except OverflowError:
        # Year 1 or 9999: the date arithmetic leaves the calendar's range.
        raise click.BadParameter(f"{received_at!r} is out of the supported date range",
                                 param_hint="'RECEIVED_AT'") from None
    data = result.to_json(lang)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'Başvuru tarihi' if lang == 'tr' else 'Application date'}: "
               f"{result.received_local_date:%d.%m.%Y}")
    click.echo(f"{'Yasal son gün' if lang == 'tr' else 'Statutory due'}: "
               f"{result.statutory_due:%d.%m.%Y} {data['cutoff']}")
    click.echo(f"{'Dış sınır' if lang == 'tr' else 'Outer limit'}: {result.outer_due:%d.%m.%Y}")
    for reason in data["reasons"]:
        click.echo(f"  - {reason}")


# Seconds to wait for the database while reading the overrides. libpq waits forever by default
# for a host that does not answer (a firewall that drops packets, a server that accepts and
# never speaks); the command is a quick check and has its package-calendar answer ready.
# psycopg treats anything under 2 s as 2 s.
OVERRIDES_CONNECT_TIMEOUT = 3


@contextmanager
def _connect_timeout(engine: Engine, seconds: int):
    """Give up on a connection that takes longer than `seconds`, for this block only.

    A listener on the app's own engine, not an engine of our own: the read must go through
    the same settings and hooks as every request's, or the command could print a date the
    case would not get.
    """
    if engine.url.get_backend_name() != "postgresql":
        yield  # SQLite opens a file; there is nothing to wait for
        return

    def add_timeout(_dialect, _record, _cargs, cparams):
        cparams.setdefault("connect_timeout", seconds)  # a URL's own setting wins

    event.listen(engine, "do_connect", add_timeout)
    try:
        yield
    finally:
        event.remove(engine, "do_connect", add_timeout)


def _holiday_calendar(lang: str) -> HolidayCalendar:
    """Return the app's calendar; warn and fall back to the package's if overrides are unread.

    The app's own source, not a calendar of our own: the command must never print a date the
    case would not get. But it is also a quick check that needs no database, so a missing or
    unmigrated one is a warning, not a failure.
    """
    from .calendar_source import holiday_calendar
    from .extensions import db

    url = db.engine.url
    if (url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
            and not Path(url.database).exists()):
        # Connecting would create an empty database file where the operator expects none.
        problem = f"no database at {url.database}"
    else:
        try:
            with _connect_timeout(db.engine, OVERRIDES_CONNECT_TIMEOUT):
                return holiday_calendar()
        # On SQLite the overrides are read through the driver itself (calendar_source), whose
        # errors SQLAlchemy does not wrap.
        except (SQLAlchemyError, db.engine.dialect.loaded_dbapi.Error) as error:
            db.session.rollback()
            # The driver's own message ("no such table: holiday_overrides", "connection
            # refused"), on one line: SQLAlchemy's adds the SQL and a link.
            problem = (str(getattr(error, "orig", None) or error).strip().splitlines()
                       or [type(error).__name__])[0]
    if lang == "tr":
        click.echo(f"Uyarı: tatil düzeltmeleri okunamadı ({problem}); yalnızca {HOLIDAYS_SOURCE} "
                   "takvimi kullanıldı.", err=True)
    else:
        click.echo(f"Warning: holiday overrides could not be read ({problem}); the "
                   f"{HOLIDAYS_SOURCE} package calendar alone was used.", err=True)
    return HolidayCalendar()


def register_commands(app) -> None:
    from .cli_letters import letter_command
    from .cli_users import audit_cli, users_cli

    app.cli.add_command(deadline_command)
    app.cli.add_command(letter_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    from .jobs.cli import COMMANDS as job_commands  # sweep, outbox, scheduler, retention, digest

    for command in job_commands:
        app.cli.add_command(command)
    from .demo.cli import demo_cli

    app.cli.add_command(demo_cli)
    from .exports.cli import export_command

    app.cli.add_command(export_command)


def main() -> None:
    cli = FlaskGroup(create_app=_app_factory, help="kvkk-tracker: KVKK application tracker.")
    cli.main(prog_name="kvkk-tracker")
