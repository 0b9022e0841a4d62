"""The base form every page uses: uploads and JSON never reach text validators."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, MultiDict


def posted_formdata(file_fields: tuple[str, ...] = ()) -> CombinedMultiDict | None:
    """Return the posted form fields, with uploads only under the named file fields.

    Left to itself Flask-WTF reads a JSON body as form data and lets an upload stand in for a
    text field; both hand validators lists, numbers or files where they expect text (a 500).
    """
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    files = MultiDict([(name, upload) for name in file_fields
                       for upload in request.files.getlist(name)])
    return CombinedMultiDict([files, request.form])


class SafeForm(FlaskForm):
    """A FlaskForm whose text fields only ever receive text, whatever is posted."""

    FILE_FIELDS: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        if not args and "formdata" not in kwargs:
            kwargs["formdata"] = posted_formdata(self.FILE_FIELDS)
        super().__init__(*args, **kwargs)
