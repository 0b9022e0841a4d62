"""The OpenAPI 3.1 description of the intake API."""

from __future__ import annotations

from ..domain.rights import RELATIONSHIP_CODES, REPLY_CHANNEL_CODES, RIGHT_CODES

_STR = {"type": "string"}
_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {"errors": {"type": "object",
                              "additionalProperties": {"type": "array", "items": _STR}}},
}
_STATUS = {
    "type": "object",
    "required": ["tracking_no", "status", "received_at", "statutory_due", "outer_due"],
    "properties": {
        "tracking_no": {"type": "string", "pattern": r"^KVKK-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"},
        "status": {"type": "string", "enum": ["received", "in_review", "awaiting_applicant",
                                              "decided", "replied", "closed", "withdrawn"]},
        "received_at": {"type": "string", "format": "date-time"},
        "statutory_due": {"type": "string", "format": "date"},
        "outer_due": {"type": "string", "format": "date"},
        "cutoff": {"type": "string", "pattern": r"^\d{2}:\d{2}$"},
        "rights": {"type": "array", "items": {"enum": list(RIGHT_CODES)}},
    },
}
_REQUEST = {
    "type": "object",
    "additionalProperties": False,
    "required": ["first_name", "last_name", "nationality", "address", "relationship", "rights",
                 "subject", "reply_channel", "declaration"],
    "properties": {
        "first_name": {"type": "string", "maxLength": 100},
        "last_name": {"type": "string", "maxLength": 100},
        "nationality": {"type": "string", "description": "ISO 3166-1 alpha-2, e.g. TR"},
        "tckn": {"type": "string", "description": "T.C. kimlik no; required when nationality "
                 "is TR", "pattern": r"^[1-9]\d{10}$"},
        "passport_no": {"type": "string", "description": "Required for other nationalities"},
        "address": {"type": "string", "maxLength": 1000},
        "email": {"type": "string", "format": "email",
                  "description": "Required when reply_channel is email"},
        "phone": _STR,
        "relationship": {"type": "string", "enum": list(RELATIONSHIP_CODES)},
        "rights": {"type": "array", "minItems": 1, "items": {"enum": list(RIGHT_CODES)}},
        "subject": {"type": "string", "maxLength": 5000},
        "reply_channel": {"type": "string", "enum": list(REPLY_CHANNEL_CODES)},
        "declaration": {"type": "boolean", "const": True},
    },
}
_LANG = {"name": "Accept-Language", "in": "header", "required": False, "schema": _STR,
         "description": "tr (default) or en: the language of error messages"}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def openapi_document() -> dict:
    created = {**_STATUS, "required": [*_STATUS["required"], "access_code"],
               "properties": {**_STATUS["properties"], "access_code": _STR}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kvkk-tracker intake API", "version": "1",
                 "description": "File and follow KVKK Art. 11 applications (Law No. 6698)."},
        "paths": {
            "/api/v1/requests": {"post": {
                "summary": "File an application",
                "parameters": [_LANG],
                "requestBody": {"required": True, **_json(_REQUEST)},
                "responses": {
                    "201": {"description": "Stored; keep the access code", **_json(created)},
                    "400": {"description": "The body is not a JSON object", **_json(_ERRORS)},
                    "422": {"description": "Invalid fields", **_json(_ERRORS)},
                    "429": {"description": "Too many requests", **_json(_ERRORS)},
                },
            }},
            "/api/v1/requests/{tracking_no}": {"get": {
                "summary": "Read an application's status",
                "parameters": [
                    {"name": "tracking_no", "in": "path", "required": True, "schema": _STR},
                    {"name": "X-Access-Code", "in": "header", "required": True, "schema": _STR},
                    _LANG,
                ],
                "responses": {
                    "200": {"description": "The status", **_json(_STATUS)},
                    "404": {"description": "Unknown number or wrong code", **_json(_ERRORS)},
                    "429": {"description": "Too many requests", **_json(_ERRORS)},
                },
            }},
            "/api/v1/requests/{tracking_no}/receipt.pdf": {"get": {
                "summary": "Download the acknowledgement of receipt (başvuru alındı belgesi)",
                "description": "A PDF/A document, frozen the first time it is asked for: "
                               "every later download returns the same bytes, whose SHA-256 "
                               "is in the X-Letter-SHA256 header. Shares the status call's "
                               "rate limit and its answer for an unknown number or a wrong "
                               "code.",
                "parameters": [
                    {"name": "tracking_no", "in": "path", "required": True, "schema": _STR},
                    {"name": "X-Access-Code", "in": "header", "required": True, "schema": _STR},
                    _LANG,
                ],
                "responses": {
                    "200": {"description": "The acknowledgement",
                            "headers": {"X-Letter-SHA256": {
                                "description": "SHA-256 of the PDF, hex", "schema": _STR}},
                            "content": {"application/pdf": {
                                "schema": {"type": "string", "format": "binary"}}}},
                    "404": {"description": "Unknown number or wrong code", **_json(_ERRORS)},
                    "429": {"description": "Too many requests", **_json(_ERRORS)},
                },
            }},
        },
    }
