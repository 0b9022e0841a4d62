"""`kvkk-tracker demo seed --requests N [--seed S]`."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from ..clock import utcnow
from ..extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying the office and sizing benchmarks.")


def _parse_now(value: str | None) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO datetime such as 2026-04-01T10:00+03:00",
                                 param_hint="'--now'") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give an offset, e.g. +03:00", param_hint="'--now'")
    return moment.astimezone(UTC)


@demo_cli.command("seed")
@click.option("--requests", "count", type=click.IntRange(1, 10_000_000), required=True,
              help="How many applications to create.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Random seed: the same seed gives the same data. Printed when left out.")
@click.option("--now", "now_text", default=None,
              help="Pretend it is this moment (ISO datetime with offset), for reproducible "
                   "dates. Defaults to the current time.")
@click.option("--batch-size", type=click.IntRange(100, 100_000), default=5000, show_default=True,
              help="Applications per insert batch and commit.")
def seed_command(count: int, seed: int | None, now_text: str | None, batch_size: int) -> None:
    """Create N realistic demo applications received over the last 60 days.

    Every status, channel and right appears, with Turkish names and checksum-valid (made-up)
    T.C. kimlik numbers. Demo staff accounts are created if missing and their passwords
    printed once. Each batch writes one "demo.seeded" audit event.
    """
    from ..calendar_source import deadline_policy, holiday_calendar
    from .seeder import seed as run_seed

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("refusing to put demo data into a production configuration")
    now = _parse_now(now_text)
    started = time.perf_counter()
    try:
        with click.progressbar(length=count, label="Seeding applications",
                               file=sys.stderr, show_pos=True) as bar:
            result = run_seed(db.session, now, count, seed=seed, calendar=holiday_calendar(),
                              policy=deadline_policy(), batch_size=batch_size,
                              progress=bar.update)
    except OperationalError as error:
        db.session.rollback()
        raise click.ClickException(f"the database is not ready ({error.orig}); "
                                   "run `kvkk-tracker db upgrade` first") from None
    elapsed = time.perf_counter() - started
    click.echo(f"seeded {result.applications} applications ({result.rights} rights, "
               f"{result.actions} actions, {result.notes} notes) in {elapsed:.1f} s "
               f"({result.applications / elapsed:,.0f}/s) with --seed {result.seed}")
    click.echo("by status: " + ", ".join(f"{k}={v}" for k, v in sorted(result.by_status.items())))
    click.echo("demo staff (change these passwords before showing the demo to anyone):")
    for account in result.staff:
        password = account.password or "(already existed; password unchanged)"
        click.echo(f"  {account.role:<10} {account.email:<32} {password}")
    click.echo("open demo cases are due for the deadline sweep from their receipt; applicants' "
               "e-mail addresses end in .example and cannot be delivered")
    click.echo("try the public status page with:")
    for status, (tracking_no, code) in sorted(result.samples.items()):
        click.echo(f"  {status:<19} {tracking_no}  {code}")
