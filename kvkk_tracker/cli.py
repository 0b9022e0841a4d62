"""The `kvkk-tracker` command: Flask's CLI plus the project's own commands."""

from __future__ import annotations

import json
from datetime import datetime

import click
from flask.cli import FlaskGroup

from .domain.calendar import HolidayCalendar
from .domain.deadlines import compute_deadline


def _app_factory():
    from . import create_app

    return create_app()


def _parse_received(value: str) -> datetime:
    try:
        if "T" not in value and " " not in value:
            return datetime.fromisoformat(value + "T00:00")
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "use an ISO date or datetime, e.g. 2026-04-01 or 2026-04-01T09:30+03:00") from None


@click.command("deadline")
@click.argument("received_at")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
@click.option("--lang", type=click.Choice(["tr", "en"]), default="tr", show_default=True)
def deadline_command(received_at: str, as_json: bool, lang: str) -> None:
    """Show the Art. 13 deadline for an application received at RECEIVED_AT.

    A naive value is Istanbul local time; an offset such as +00:00 is honoured.
    """
    from .calendar_source import deadline_policy

    result = compute_deadline(_parse_received(received_at), HolidayCalendar(), deadline_policy())
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


def register_commands(app) -> None:
    app.cli.add_command(deadline_command)


def main() -> None:
    cli = FlaskGroup(create_app=_app_factory, help="kvkk-tracker: KVKK application tracker.")
    cli.main(prog_name="kvkk-tracker")
