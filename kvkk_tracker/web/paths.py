"""Where the app keeps files on disk."""

from __future__ import annotations

from pathlib import Path


def upload_dir(app) -> Path:
    configured = app.config.get("KVKK_UPLOAD_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "uploads"
