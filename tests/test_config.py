"""Configuration: defaults a fresh checkout gets, and what production refuses."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import text

from kvkk_tracker import create_app
from kvkk_tracker.extensions import db


def test_development_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    app = create_app({"KVKK_ENV": "development", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": None, "SECRET_KEY": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kvkk.db'}"


def test_development_secret_is_generated_once_and_kept_private(tmp_path):
    first = create_app({"KVKK_ENV": "development", "INSTANCE_PATH": str(tmp_path),
                        "SECRET_KEY": None})
    second = create_app({"KVKK_ENV": "development", "INSTANCE_PATH": str(tmp_path),
                         "SECRET_KEY": None})
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SQLALCHEMY_DATABASE_URI"])
def test_production_refuses_to_start_without_secret_or_database(tmp_path, missing):
    config = {"KVKK_ENV": "production", "INSTANCE_PATH": str(tmp_path),
              "SECRET_KEY": "s" * 64, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"}
    config[missing] = None
    with pytest.raises(RuntimeError, match="refusing to start"):
        create_app(config)


def test_environment_overrides_config(monkeypatch):
    import importlib

    from kvkk_tracker import config as config_module

    monkeypatch.setenv("KVKK_CONTROLLER_NAME", "T.C. Örnek Bakanlığı")
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("MAIL_PORT", "2525")
    reloaded = importlib.reload(config_module)
    try:
        assert reloaded.Config.KVKK_CONTROLLER_NAME == "T.C. Örnek Bakanlığı"
        assert reloaded.Config.RATELIMIT_ENABLED is False
        assert reloaded.Config.MAIL_PORT == 2525
    finally:
        monkeypatch.undo()
        importlib.reload(config_module)


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
