"""Create the first admin when the server first meets an empty users table."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from .clock import utcnow
from .extensions import db
from .services.users import ensure_initial_admin

FIRST_ADMIN_FILE = "initial_admin_password"
_lock = threading.Lock()


def install_first_run(app) -> None:
    """Check once per process, on the first request; CLI commands never touch tables."""
    if not app.config.get("KVKK_FIRST_RUN_ADMIN", True):
        return
    state = {"done": False}

    @app.before_request
    def _first_run():
        if state["done"]:
            return
        with _lock:
            if state["done"]:
                return
            create_first_admin(app)
            state["done"] = True


def create_first_admin(app) -> str | None:
    try:
        password = ensure_initial_admin(db.session, utcnow())
        db.session.commit()
    except IntegrityError:  # another worker created it first
        db.session.rollback()
        return None
    if password is None:
        return None
    path = Path(app.instance_path) / FIRST_ADMIN_FILE
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    print(f"\nkvkk-tracker: created the first user 'admin' with password: {password}\n"
          f"kvkk-tracker: also written to {path} (mode 0600). Change it after signing in.\n",
          file=sys.stderr, flush=True)
    return password
