"""/healthz: JSON for a load balancer; 503 when the database or an expected scheduler is gone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from kvkk_tracker.clock import utcnow
from kvkk_tracker.extensions import db
from kvkk_tracker.jobs.scheduler import JobRunner
from kvkk_tracker.models import SchedulerHeartbeat

UNREACHABLE = "postgresql+psycopg://kvkk_secret_user:hunter2@127.0.0.1:1/kvkk_prod"


def test_healthy_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": {"ok": True}}}
    assert response.headers["Cache-Control"] == "no-store"


def test_database_down_is_503_and_says_nothing_secret(make_app):
    # The first-run hook would query the users table first: the probe answers before it.
    app = make_app(SQLALCHEMY_DATABASE_URI=UNREACHABLE, KVKK_FIRST_RUN_ADMIN=True,
                   KVKK_HEALTH_EXPECT_SCHEDULER=True)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "checks": {
        "database": {"ok": False, "reason": "database unavailable"},
        "scheduler": {"ok": False, "reason": "database unavailable"}}}
    body = response.get_data(as_text=True)
    for secret in ("kvkk_secret_user", "hunter2", "127.0.0.1", "kvkk_prod", "psycopg"):
        assert secret not in body


def test_expected_scheduler_must_have_beaten_recently(make_app):
    app = make_app(KVKK_HEALTH_EXPECT_SCHEDULER=True, KVKK_HEALTH_SCHEDULER_MAX_AGE_SECONDS=90)
    client = app.test_client()
    missing = client.get("/healthz")
    assert missing.status_code == 503
    assert missing.get_json()["checks"]["scheduler"] == {
        "ok": False, "reason": "no scheduler heartbeat", "max_age_seconds": 90}

    runner = JobRunner(app, "dedicated")
    runner.run("outbox", lambda _session, _now: 1 / 0)  # a failing job still beats
    fresh = client.get("/healthz")
    assert fresh.status_code == 200
    scheduler = fresh.get_json()["checks"]["scheduler"]
    assert scheduler["ok"] and scheduler["age_seconds"] <= 5
    assert scheduler["jobs_failing"] == ["outbox"]
    assert "ZeroDivisionError" not in fresh.get_data(as_text=True)

    with app.app_context():
        db.session.execute(update(SchedulerHeartbeat).values(
            beat_at=utcnow() - timedelta(seconds=91)))
        db.session.commit()
    stale = client.get("/healthz")
    assert stale.status_code == 503
    assert stale.get_json()["checks"]["scheduler"]["reason"] == "scheduler heartbeat too old"


def test_without_an_expected_scheduler_its_absence_is_fine(client):
    assert "scheduler" not in client.get("/healthz").get_json()["checks"]


def test_probes_are_never_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(10)] == [200] * 10
