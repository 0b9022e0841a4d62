"""The retention job: anonymise closed cases past their retention period, and log it.

State-based like the sweep: the scheduler calls it daily, and it destroys when the last
finished run is older than the destruction interval (at most 180 days), so a restart or a
missed day never stretches the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from ..models import Application
from ..services import audit
from ..services.actors import Actor, system_actor
from ..services.retention import (
    Candidate,
    RetentionSettings,
    anonymise,
    find_candidates,
    finish_run,
    last_finished_run,
    start_run,
)
from ..web.paths import upload_dir as configured_upload_dir

RETENTION_ACTOR = system_actor("retention")
# A daily trigger may fire a little earlier than 24 hours after the last run's start.
SLACK = timedelta(hours=1)


@dataclass
class RetentionReport:
    run_id: int | None = None
    applications: int = 0
    files: int = 0
    skipped: str | None = None
    destroyed: list[str] = field(default_factory=list)  # tracking numbers


def dry_run(session: Session, now: datetime,
            settings: RetentionSettings | None = None) -> list[Candidate]:
    """List what a run at `now` would destroy; change nothing."""
    settings = settings or RetentionSettings.from_config(current_app.config)
    return find_candidates(session, now.astimezone(UTC), settings)


def retention(session: Session, now: datetime, settings: RetentionSettings | None = None, *,
              actor: Actor = RETENTION_ACTOR, uploads: Path | None = None,
              force: bool = False) -> RetentionReport:
    """Run destruction if it is due (or forced); commit after each batch of cases."""
    settings = settings or RetentionSettings.from_config(current_app.config)
    uploads = uploads or configured_upload_dir(current_app)
    now = now.astimezone(UTC)
    report = RetentionReport()
    last = last_finished_run(session)
    if not force and last is not None and \
            last.started_at > now - timedelta(days=settings.interval_days) + SLACK:
        report.skipped = f"the last run was {last.started_at:%Y-%m-%d %H:%M} UTC"
        session.rollback()
        return report
    run = start_run(session, actor, now, settings)
    session.commit()
    report.run_id = run.id
    while True:
        batch = find_candidates(session, now, settings, limit=settings.batch_size)
        if not batch:
            break
        for candidate in batch:
            application = session.get(Application, candidate.id)
            anonymise(session, run, actor, now, application, uploads)
            audit.record(session, actor, now, "application.anonymised",
                         application_id=application.id,
                         data={"run_id": run.id, "method": run.method})
            report.destroyed.append(candidate.tracking_no)
        session.commit()
    finish_run(run, now)
    report.applications, report.files = run.applications, run.files
    audit.record(session, actor, now, "retention.run",
                 data={"run_id": run.id, "applications": run.applications,
                       "files": run.files, "retention_years": settings.years})
    session.commit()
    return report
