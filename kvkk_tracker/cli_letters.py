"""`kvkk-tracker letter`: write an application's stored letter, or a marked draft, to a file."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .clock import utcnow
from .domain.identifiers import normalize_tracking_no
from .extensions import db
from .models import Application
from .pdf import LetterError
from .services import letters


@click.command("letter")
@click.argument("tracking_no")
@click.option("--kind", type=click.Choice(["receipt", "reply"]), required=True,
              help="receipt: the acknowledgement; reply: the reply letter.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              required=True, help="The PDF file to write.")
@with_appcontext
def letter_command(tracking_no: str, kind: str, out: Path) -> None:
    """Write the final KIND letter of TRACKING_NO to OUT.

    When no version is final yet, a draft rendered now is written instead, watermarked
    TASLAK on every page, and stderr says so. Nothing is stored either way.
    """
    canonical = normalize_tracking_no(tracking_no)
    application = db.session.scalar(select(Application).where(
        Application.tracking_no == canonical)) if canonical else None
    if application is None:
        raise click.ClickException(f"no application {tracking_no!r}")
    try:
        data, letter = letters.stored_or_draft(db.session, application, kind, now=utcnow(),
                                               config=current_app.config)
    except LetterError as error:  # a fee setting outside the Tebliğ, say: its name, no traceback
        raise click.ClickException(f"cannot render the {kind} letter: {error}") from None
    finally:
        db.session.rollback()  # read only: a draft is rendered, never stored
    out.write_bytes(data)
    if letter is None:
        click.echo(f"DRAFT: no {kind} letter of {application.tracking_no} is final yet; wrote a "
                   f"draft watermarked TASLAK to {out}", err=True)
    else:
        click.echo(f"{application.tracking_no} {kind} v{letter.version} sha256 {letter.sha256} "
                   f"-> {out}", err=True)
