"""`kvkk-tracker export NAME --format csv|xlsx|pdf --out FILE`: any export, any size, to a file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..models import User
from ..services.actors import Actor
from .catalogue import EXPORTS
from .files import publish, write_export
from .run import ExportRefused, ExportRequest, check_allowed, count_rows
from .spec import Period, parse_day
from .writers import WRITERS, format_names

CLI_ACTOR = Actor("system", "cli")


def _day(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use 2026-04-01 or 01.04.2026") \
            from None


def _actor(email: str | None, request: ExportRequest) -> tuple[Actor, str]:
    """Who takes the export, and their name: a named auditor or supervisor, or the operator
    (masked only; no name: a document says "the command line")."""
    if email is None:
        if not request.masked:
            raise click.UsageError("--unmasked needs --actor EMAIL (a supervisor)")
        return CLI_ACTOR, ""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"no active staff account {email}")
    try:
        check_allowed(user.role, request)
    except ExportRefused as refusal:
        raise click.ClickException(f"{email} ({user.role}): {refusal}") from None
    return Actor("user", str(user.id)), f"{user.name} <{user.email}>"


@click.command("export")
@click.argument("name", type=click.Choice(list(EXPORTS)))
@click.option("--format", "fmt", type=click.Choice(format_names()), required=True)
@click.option("--from", "start", callback=_day, help="First day (Istanbul), inclusive.")
@click.option("--to", "end", callback=_day, help="Last day (Istanbul), inclusive.")
@click.option("--unmasked", is_flag=True,
              help="Full T.C. and passport numbers (needs --actor, a supervisor; audited).")
@click.option("--actor", "actor_email", metavar="EMAIL",
              help="The auditor or supervisor taking the export (audited under their name).")
@click.option("--lang", type=click.Choice(["tr", "en"]), default="tr", show_default=True,
              help="Headers, and for CSV the Excel style: tr = ';' and dd.mm.yyyy, "
                   "en = ',' and ISO dates.")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              required=True)
@with_appcontext
def export_command(name: str, fmt: str, start, end, unmasked: bool, actor_email: str | None,
                   lang: str, out: Path) -> None:
    """Write the export NAME to --out, with a progress bar on standard error.

    Rows are streamed, so memory stays flat however many there are. The file appears only
    when complete, and the export is audited with its row count.
    """
    if fmt not in WRITERS:
        raise click.UsageError(f"the {fmt} format is not available yet; use "
                               + " or ".join(WRITERS))
    try:
        period = Period(start, end)
    except ValueError as problem:
        raise click.BadParameter(str(problem), param_hint="'--from' / '--to'") from None
    request = ExportRequest(name, fmt, period, masked=not unmasked, lang=lang)
    actor, taken_by = _actor(actor_email, request)
    total = count_rows(db.session, request)
    db.session.rollback()  # end the read, so that no transaction stays open while we write
    with click.progressbar(length=total, label=f"{name} → {out.name}", file=sys.stderr,
                           show_pos=True) as bar:
        part, rows = write_export(db.session, request, out, actor=actor, now=utcnow(),
                                  total=total, on_batch=bar.update, taken_by=taken_by)
    db.session.commit()
    publish(part, out)
    click.echo(f"{rows} rows written to {out}", err=True)
