"""Check the JSON body's shape and turn it into form data for the shared validation."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

STRING_FIELDS = ("first_name", "last_name", "nationality", "tckn", "passport_no", "address",
                 "email", "phone", "relationship", "subject", "reply_channel")
FIELDS = (*STRING_FIELDS, "rights", "declaration")
MAX_STRING = 20_000


def _is_unicode(value: str) -> bool:
    """Return whether the text can be stored: JSON's \\ud800 escapes give lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def payload_to_formdata(payload: dict) -> tuple[MultiDict, dict[str, list[str]]]:
    """Return form data for ApplicationForm and the type errors found on the way."""
    errors: dict[str, list[str]] = {}
    data = MultiDict()
    for key in payload:
        if key not in FIELDS:
            errors[str(key)[:100]] = [_("Unknown field.")]
    for name in STRING_FIELDS:
        value = payload.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[name] = [_("Must be a string.")]
        elif not _is_unicode(value):
            errors[name] = [_("Must be valid Unicode text.")]
        elif len(value) > MAX_STRING:
            errors[name] = [_("Use at most %(max)d characters.", max=MAX_STRING)]
        else:
            data[name] = value
    rights = payload.get("rights")
    if rights is not None:
        if not isinstance(rights, list) or not all(
                isinstance(r, str) and _is_unicode(r) for r in rights):
            errors["rights"] = [_("Must be a list of right codes, such as [\"a\", \"b\"].")]
        elif len(rights) > 50:
            errors["rights"] = [_("Too many rights.")]
        else:
            data.setlist("rights", rights)
    declaration = payload.get("declaration")
    if declaration is True:
        data["declaration"] = "y"
    elif declaration is not None and not isinstance(declaration, bool):
        errors["declaration"] = [_("Must be true or false.")]
    return data, errors
