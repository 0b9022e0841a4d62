"""Write an export to a file: all or nothing, audited with the number of rows written."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from ..services.actors import Actor
from .run import ExportRequest, open_table, record_export
from .writers import WRITERS


def write_export(session: Session, request: ExportRequest, path: Path, *, actor: Actor,
                 now: datetime, total: int | None = None,
                 on_batch: Callable[[int], None] | None = None,
                 taken_by: str = "") -> tuple[Path, int]:
    """Write to a hidden file beside `path` and audit it; return (that file, rows).

    The caller commits and then moves the file into place with `publish`, so that a file
    with personal data never appears without its audit event, nor half-written.
    """
    writer = WRITERS[request.fmt]
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    table = open_table(session, request, total=total, on_batch=on_batch, taken_by=taken_by,
                       taken_at=now)
    try:
        with open(part, "wb") as out:
            for chunk in writer.chunks(table):
                out.write(chunk)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        table.close()
    record_export(session, actor, now, request, via="cli", rows=table.written)
    return part, table.written


def publish(part: Path, path: Path) -> None:
    os.replace(part, path)
