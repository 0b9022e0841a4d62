"""Fixtures in the style of Flask's tutorial: app, client, runner, plus builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask_migrate import upgrade

from kvkk_tracker import create_app
from kvkk_tracker.domain.calendar import HolidayCalendar
from kvkk_tracker.domain.deadlines import DeadlinePolicy
from kvkk_tracker.extensions import db
from kvkk_tracker.services.actors import public_actor
from kvkk_tracker.services.attachments import FileStash
from kvkk_tracker.services.intake import ApplicationInput, submit_application

from . import databases
from .builders import FIXED_NOW, VALID_TCKN


def pytest_configure(config):
    if databases.backend() == "postgresql" and not databases.postgres_available():
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            raise pytest.UsageError("REQUIRE_POSTGRES=1 but no PostgreSQL at 127.0.0.1:5432")


@pytest.fixture(scope="session")
def db_template(tmp_path_factory):
    if databases.backend() == "postgresql" and not databases.postgres_available():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    directory = tmp_path_factory.mktemp("db-template")
    template = databases.make_template(directory)
    app = create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(directory),
                      "SQLALCHEMY_DATABASE_URI": template.template_url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield template
    template.drop_template()


def _make_app(db_template, tmp_path: Path, **overrides):
    url = db_template.clone(tmp_path)
    config = {
        "KVKK_ENV": "testing",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": url,
        "KVKK_UPLOAD_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }
    config.update(overrides)
    try:
        app = create_app(config)
    except BaseException:
        # Tests that expect create_app to refuse a setting must not leave a database behind.
        db_template.drop_clone(url)
        raise
    return app, url


@pytest.fixture
def make_app(db_template, tmp_path):
    """Build an app with config overrides; each call gets its own fresh database."""
    made = []

    def factory(**overrides):
        directory = tmp_path / f"app{len(made)}"
        directory.mkdir()
        app, url = _make_app(db_template, directory, **overrides)
        made.append((app, url))
        return app

    yield factory
    for app, url in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        db_template.drop_clone(url)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def session(app):
    """The app's session inside an app context; rolled back at the end."""
    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def upload_dir(app) -> Path:
    return Path(app.config["KVKK_UPLOAD_DIR"])


@pytest.fixture
def create_application(app):
    """Builder: store an application through the intake service at a chosen time."""

    def build(now=FIXED_NOW, received_at=None, **overrides):
        fields = {
            "first_name": "Işıl", "last_name": "Çağlayan", "nationality": "TR",
            "tckn": VALID_TCKN, "passport_no": None, "address": "Çankaya/Ankara",
            "email": "isil@example.com.tr", "phone": None, "relationship": "customer",
            "rights": ("a",), "subject": "Verilerim", "reply_channel": "email",
        }
        fields.update(overrides)
        with app.app_context():
            submission = submit_application(
                db.session, public_actor("127.0.0.1"), now, ApplicationInput(**fields),
                channel="web", calendar=HolidayCalendar(), policy=DeadlinePolicy(),
                stash=FileStash(Path(app.config["KVKK_UPLOAD_DIR"])), received_at=received_at)
            db.session.commit()
            return submission.application.tracking_no, submission.access_code

    return build


def count_applications(app) -> int:
    from sqlalchemy import func, select

    from kvkk_tracker.models import Application

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Application))
