"""/healthz for load balancers and monitoring: the database, and the scheduler if one is expected.

The body is JSON with a status per check and nothing more: no database URL, no error text (a
driver's message can carry host names or user names), no settings.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..clock import utcnow
from ..extensions import db, limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt  # probed every few seconds from the same addresses
def healthz():
    checks = {"database": _database()}
    if current_app.config["KVKK_HEALTH_EXPECT_SCHEDULER"]:
        checks["scheduler"] = _scheduler() if checks["database"]["ok"] else {
            "ok": False, "reason": "database unavailable"}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "fail", "checks": checks}
    return jsonify(body), 200 if healthy else 503


@bp.before_app_request
def _answer_probes_first():
    """Answer the probe before the app's other hooks (registered after this blueprint).

    The first-run hook creates the first admin on a server's first request: on a database
    that is down or not yet migrated it would turn the probe's 503 into a 500 page, and a
    probe should write nothing anyway.
    """
    if request.endpoint == "health.healthz":
        return healthz()
    return None


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"ok": False, "reason": "database unavailable"}
    finally:
        db.session.remove()  # give the connection back: a probe must not hold one
    return {"ok": True}


def _scheduler() -> dict:
    from ..jobs.scheduler import latest_heartbeat

    max_age = int(current_app.config["KVKK_HEALTH_SCHEDULER_MAX_AGE_SECONDS"])
    try:
        beat = latest_heartbeat(db.session)
        if beat is None:
            return {"ok": False, "reason": "no scheduler heartbeat", "max_age_seconds": max_age}
        age = (utcnow() - beat.beat_at).total_seconds()
        failing = sorted(name for name, job in (beat.jobs or {}).items()
                         if job.get("last_error"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"ok": False, "reason": "database unavailable"}
    finally:
        db.session.remove()
    result = {"ok": age <= max_age, "last_beat_at": beat.beat_at.isoformat(timespec="seconds"),
              "age_seconds": round(age), "max_age_seconds": max_age,
              "jobs_failing": failing}
    if not result["ok"]:
        result["reason"] = "scheduler heartbeat too old"
    return result
