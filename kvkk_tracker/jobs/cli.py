"""Operator commands: sweep, outbox, scheduler, retention, digest. `--now` travels in time."""

from __future__ import annotations

import signal
from dataclasses import replace
from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from ..clock import utcnow
from ..domain.deadlines import to_istanbul
from ..domain.text import format_date
from ..extensions import db
from ..services import outbox as outbox_service
from ..services.actors import Actor

CLI_ACTOR = Actor("system", "cli")
NOW_HELP = ("Act as if it were this moment: an ISO date or datetime; without an offset it is "
            "Istanbul time (e.g. 2026-04-21T09:00). Default: the real clock.")


def parse_now(value: str | None) -> datetime:
    """Return the moment the operator asked for, as aware UTC."""
    if not value or value.strip().lower() == "now":
        return utcnow()
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text if ("T" in text or " " in text)
                                        else f"{text}T00:00")
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date or datetime",
                                 param_hint="'--now'") from None
    return to_istanbul(moment).astimezone(UTC)


def _local(moment: datetime) -> str:
    local = to_istanbul(moment)
    return f"{format_date(local)} {local:%H:%M}"


@click.command("sweep")
@click.option("--now", "now_text", help=NOW_HELP)
@click.option("--batch-size", type=click.IntRange(1), help="Cases per transaction.")
@with_appcontext
def sweep_command(now_text: str | None, batch_size: int | None) -> None:
    """Run one deadline sweep and print the reminders it queued."""
    from .sweep import settings_from_app, sweep

    now = parse_now(now_text)
    settings = settings_from_app()
    if batch_size:
        settings = replace(settings, batch_size=batch_size)
    if settings.escalation_email is None:
        click.echo("warning: KVKK_ESCALATION_EMAIL is not set; overdue alerts reach the "
                   "supervisors only", err=True)

    def progress(batch) -> None:
        for item in batch.queued:
            also = f" (superseded: {', '.join(item.superseded)})" if item.superseded else ""
            to = ", ".join(item.recipients) or "no e-mail recipient"
            click.echo(f"queued {item.tracking_no} {item.rung} -> {to}{also}")
        click.echo(f"batch: {batch.examined} cases, {len(batch.queued)} reminders")

    report = sweep(db.session, now, settings, on_batch=progress)
    if report.skipped:
        click.echo("another sweeper holds the lock; nothing done")
        return
    click.echo(f"sweep at {_local(now)}: {report.examined} cases examined, "
               f"{len(report.queued)} reminders queued ({report.emails} e-mails), "
               f"{report.superseded} superseded, {report.closed_cleared} closed cases dropped")


outbox_cli = AppGroup("outbox", help="The e-mail outbox.")


@outbox_cli.command("flush")
@click.option("--now", "now_text", help=NOW_HELP)
def outbox_flush(now_text: str | None) -> None:
    """Deliver what is queued now."""
    from .outbox import dispatch

    report = dispatch(db.session, parse_now(now_text))
    click.echo(f"sent {report.sent}, retrying {report.retried}, dead {report.dead}"
               + (f", recovered {report.recovered} stale claims" if report.recovered else ""))
    if report.error:
        click.echo(f"SMTP error: {report.error}", err=True)


@outbox_cli.command("status")
def outbox_status() -> None:
    """Show how many messages are queued, being sent, sent and dead."""
    counts = outbox_service.counts(db.session)
    click.echo("  ".join(f"{state}: {count}" for state, count in counts.items()))
    for message in outbox_service.dead_messages(db.session, limit=20):
        click.echo(f"dead #{message.id} {message.kind} to {message.recipient} after "
                   f"{message.attempts} attempts: {message.last_error}")


@outbox_cli.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Retry every dead message.")
def outbox_retry(ids: tuple[int, ...], all_dead: bool) -> None:
    """Give dead messages a fresh set of attempts."""
    if not ids and not all_dead:
        raise click.UsageError("name message ids or pass --all-dead")
    count = outbox_service.requeue_dead(db.session, utcnow(), None if all_dead else list(ids))
    db.session.commit()
    click.echo(f"requeued {count}")


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler as one dedicated, long-running process (production)."""
    from .scheduler import build_scheduler

    app = current_app._get_current_object()
    scheduler = build_scheduler(app, blocking=True)

    def stop(signum, _frame) -> None:
        click.echo(f"signal {signum}: stopping after the running jobs")
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    click.echo("scheduler running: " + ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except KeyboardInterrupt:
        pass


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be destroyed; change nothing.")
@click.option("--now", "now_text", help=NOW_HELP)
@click.option("--force", is_flag=True, help="Run even if the last run is recent.")
@with_appcontext
def retention_command(dry_run: bool, now_text: str | None, force: bool) -> None:
    """Anonymise closed cases past the retention period and log the destruction."""
    from .retention import dry_run as list_candidates
    from .retention import retention

    now = parse_now(now_text)
    if dry_run:
        found = list_candidates(db.session, now)
        for item in found:
            click.echo(f"would anonymise {item.tracking_no} ({item.status} "
                       f"{format_date(to_istanbul(item.closed_at))}, "
                       f"{item.attachments} attachments)")
        click.echo(f"dry run at {_local(now)}: {len(found)} applications would be anonymised")
        return
    report = retention(db.session, now, actor=CLI_ACTOR, force=force)
    if report.skipped:
        click.echo(f"not due: {report.skipped}; use --force to run anyway")
        return
    for tracking_no in report.destroyed:
        click.echo(f"anonymised {tracking_no}")
    click.echo(f"destruction run #{report.run_id}: {report.applications} applications "
               f"anonymised, {report.files} files deleted")


@click.command("digest")
@click.option("--now", "now_text", help=NOW_HELP)
@with_appcontext
def digest_command(now_text: str | None) -> None:
    """Queue today's digest e-mails (once a day, working days only)."""
    from .digest import digest

    count = digest(db.session, parse_now(now_text))
    db.session.commit()
    click.echo(f"queued {count} digest e-mails")


COMMANDS = (sweep_command, outbox_cli, scheduler_command, retention_command, digest_command)
