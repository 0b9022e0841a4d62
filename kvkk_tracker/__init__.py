"""kvkk-tracker: a workflow tracker for KVKK Art. 11 applications."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from . import config as config_module
from .database import install_sqlite_behaviour, render_item
from .extensions import babel, csrf, db, limiter, migrate
from .i18n import register_template_helpers, select_locale

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the application."""
    test_config = dict(test_config or {})
    app = Flask(
        __name__,
        instance_path=test_config.pop("INSTANCE_PATH", None)
        or os.environ.get("KVKK_INSTANCE_PATH")
        or _checkout_instance_path(),
        template_folder=str(PACKAGE_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    app.config.from_object(config_module.config_class(test_config.get("KVKK_ENV")))
    app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_secrets_and_paths(app)

    install_sqlite_behaviour()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"),
                     render_as_batch=True, compare_type=True, render_item=render_item)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PACKAGE_DIR / "translations"))
    limiter.init_app(app)
    register_template_helpers(app)

    from . import models  # noqa: F401  (register the tables with the metadata)
    from .api import bp as api_bp
    from .cli import register_commands
    from .first_run import install_first_run
    from .web.auditor import bp as auditor_bp
    from .web.auth import bp as auth_bp
    from .web.auth import init_login
    from .web.errors import register_error_handlers
    from .web.health import bp as health_bp
    from .web.helpers import install_read_only_requests
    from .web.labels import register_labels
    from .web.office import bp as office_bp
    from .web.public import bp as public_bp
    from .web.security import register_security_headers, trust_proxies

    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(office_bp)
    app.register_blueprint(auditor_bp)
    app.register_blueprint(health_bp)
    init_login(app)
    install_first_run(app)
    # After the blueprints, so that GET and HEAD requests begin read-only in each blueprint's
    # first hook, and after first-run, whose app-level hook may write on a first request.
    install_read_only_requests(app)
    register_error_handlers(app)
    register_labels(app)
    register_security_headers(app)
    trust_proxies(app)
    register_commands(app)
    from .jobs import init_app as init_jobs

    init_jobs(app)  # validates the engine's settings; embeds the scheduler only under `run`
    return app


def _checkout_instance_path() -> str | None:
    """Use <repo>/instance in a checkout; an installed package gets Flask's default."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").exists() and (checkout / "migrations").is_dir():
        return str(checkout / "instance")
    return None


def _resolve_secrets_and_paths(app: Flask) -> None:
    env = app.config["ENV_NAME"]
    required = config_module.ProductionConfig.REQUIRED if env == "production" else ()
    missing = [name for name in required if not app.config.get(name)]
    if missing:
        names = ", ".join("DATABASE_URL" if n == "SQLALCHEMY_DATABASE_URI" else n
                          for n in missing)
        raise RuntimeError(f"production configuration needs {names}; refusing to start")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "kvkk.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def _instance_secret(path: Path) -> str:
    """Generate the development secret key once and keep it in the instance folder."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
