"""Turn uploaded files into checked IncomingFile objects, with field-level errors."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from ...services.attachments import IncomingFile, clean_filename, sniff_media_type
from ..helpers import format_size


def _present(files) -> list[FileStorage]:
    if isinstance(files, FileStorage):
        files = [files]
    return [f for f in files or [] if isinstance(f, FileStorage) and f.filename]


def read_files(groups) -> tuple[list[IncomingFile], dict[str, list[str]]]:
    """Check each (field name, attachment kind, uploaded data) group by content and size."""
    limit = current_app.config["KVKK_MAX_FILE_BYTES"]
    max_files = current_app.config["KVKK_MAX_FILES"]
    errors: dict[str, list[str]] = {}
    accepted: list[IncomingFile] = []
    for field_name, kind, raw in groups:
        files = _present(raw)
        if len(files) > max_files:
            errors.setdefault(field_name, []).append(
                _("Attach at most %(n)d files.", n=max_files))
            continue
        for storage in files:
            name = clean_filename(storage.filename)
            data = storage.stream.read(limit + 1)
            if len(data) > limit:
                errors.setdefault(field_name, []).append(_(
                    "%(name)s is larger than %(size)s.", name=name, size=format_size(limit)))
                continue
            media_type = sniff_media_type(data[:16])
            if media_type is None:
                errors.setdefault(field_name, []).append(_(
                    "%(name)s is not a PDF, JPEG or PNG file.", name=name))
                continue
            accepted.append(IncomingFile(kind, storage.filename, data, media_type))
    return accepted, errors


def read_uploads(form) -> tuple[list[IncomingFile], dict[str, list[str]]]:
    """Read and check every uploaded file; return the files and any errors by field."""
    accepted, errors = read_files((
        ("power_of_attorney", "power_of_attorney", form.power_of_attorney.data),
        ("attachments", "evidence", form.attachments.data)))
    if form.representative_name.data and not _present(form.power_of_attorney.data):
        errors.setdefault("power_of_attorney", []).append(
            _("Attach the power of attorney that lets you apply for someone else."))
    return accepted, errors
