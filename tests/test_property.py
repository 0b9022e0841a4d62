"""Throw thousands of random and hostile submissions at the API and the form.

Whatever arrives, the answer is a success (201 from the API, 303 from the form) or a 4xx, never a
5xx, and exactly the successes are stored: no half-saved application, no stray file.

One app serves a whole run: Hypothesis runs the inner function many times, and a fresh app and
database per example would cost more than the requests themselves.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from kvkk_tracker.domain.rights import RELATIONSHIP_CODES, REPLY_CHANNEL_CODES, RIGHT_CODES
from kvkk_tracker.extensions import db
from kvkk_tracker.models import Attachment

from .conftest import count_applications
from .web.support import HTML_AS_PDF, JPEG, PDF, PNG

# About 2,500 examples a run: well under a minute on the 2-core test machine even while other
# jobs share it. KVKK_PROPERTY_SCALE=10 makes a deeper (nightly) run.
SCALE = float(os.environ.get("KVKK_PROPERTY_SCALE", "1"))
API_EXAMPLES = int(1500 * SCALE)
FORM_EXAMPLES = int(800 * SCALE)
FILE_LIMIT = 4096  # small, so that oversize files are cheap to make
REQUEST_LIMIT = 64 * 1024


def _settings(examples: int):
    return settings(max_examples=examples, deadline=None, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def _tckn(nine: int) -> str:
    """Complete nine digits into a T.C. kimlik no with valid check digits (KVKK.md §2)."""
    d = [int(c) for c in str(nine)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    return f"{nine}{d10}{(sum(d) + d10) % 10}"


def mixed(valid: dict, invalid: dict, optional: tuple[str, ...] = ()):
    """Dicts with valid values for most fields, invalid ones for up to three, and maybe one
    optional field left out.

    Choosing the broken fields first keeps whole-valid examples common (a quarter or so), so
    that the success path sees the same hostile-but-acceptable text as the error paths. The
    strategies are built once: building them inside every draw costs more than the request.
    """
    broken_fields = st.sets(st.sampled_from(sorted(valid)), max_size=3)
    left_out = st.sets(st.sampled_from(optional), max_size=1)

    @st.composite
    def build(draw):
        broken, absent = draw(broken_fields), draw(left_out)
        return {name: draw(invalid[name] if name in broken else strategy)
                for name, strategy in valid.items() if name not in absent}

    return build()


HOSTILE = st.sampled_from([
    "", " ", "\t", "\x00", "a\x00b", "\x1b[31mred", "\x7f", "\u202e", "\u202etxt.exe",
    "\u200b", "\ufeff", "مرحبا بالعالم", "שלום עולם", "𐰀𐰁", "👩‍👩‍👧‍👦", "🇹🇷 İstanbul",
    "İSTANBUL ışık ĞÜŞÖÇ", "Ǆ ﷺ ß ﬃ", "\u0958" * 100, "ß" * 100, "a" * 100, "a" * 101,
    "x" * 1000, "x" * 1001, "y" * 5000, "y" * 5001, "z" * 20_000, "z" * 20_001,
    "<script>alert(1)</script>", "' OR '1'='1' --", "{{ 7*7 }}", "%(name)s %s %n",
    "../../etc/passwd", "C:\\Windows\\win.ini", "\r\n\r\n", "\U0010ffff", "null", "true",
])
# Any Unicode text but surrogates (Hypothesis leaves those out by default).
ANY_TEXT = st.text(max_size=40)
LONG_TEXT = st.builds(lambda ch, n: ch * n, st.characters(), st.integers(0, 25_000))
TEXT = st.one_of(HOSTILE, ANY_TEXT, LONG_TEXT)
# Plausible, printable text: letters, marks, digits, punctuation, emoji and spaces.
PRINTABLE = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]),
                    min_size=1, max_size=40)
NAME = st.one_of(PRINTABLE, st.sampled_from(["Işıl", "ÇAĞLAYAN", "محمد", "דוד", "Zoë 👩‍💻",
                                              "\u0958" * 100, "ß" * 100, "Ali\u202eVeli"]))
JSON_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=8)
BAD_CODES = st.one_of(ANY_TEXT, st.sampled_from(["A", "ç", "ğ", "cc ", "", "\x00", "other2"]))
CODE = st.one_of(st.sampled_from(RIGHT_CODES), BAD_CODES)
RIGHTS = st.one_of(
    st.lists(st.sampled_from(RIGHT_CODES), min_size=1, max_size=12),
    st.lists(CODE, max_size=60),
    st.builds(lambda code, n: [code] * n, CODE, st.integers(0, 5000)),
)
VALID_TCKN = st.integers(100_000_000, 999_999_999).map(_tckn)
NATIONALITY = st.sampled_from(["TR", "TR", "TR", "DE", "SY", "GB", "IR"])
EMAIL = st.sampled_from(["isil@example.com.tr", "a.b+c@örnek.com.tr", "x@y.co"])
PHONE = st.sampled_from(["0532 123 45 67", "+90 (312) 000-0000", "5321234567"])
PASSPORT = st.from_regex(r"[A-Z0-9]{5,12}", fullmatch=True)


API_VALID = {
    "first_name": NAME,
    "last_name": NAME,
    "nationality": NATIONALITY,
    "tckn": VALID_TCKN,
    "passport_no": PASSPORT,
    "address": PRINTABLE,
    "email": EMAIL,
    "phone": PHONE,
    "relationship": st.sampled_from(RELATIONSHIP_CODES),
    "rights": st.lists(st.sampled_from(RIGHT_CODES), min_size=1, max_size=10),
    "subject": st.one_of(PRINTABLE, st.just("s" * 5000)),
    "reply_channel": st.sampled_from(REPLY_CHANNEL_CODES),
    "declaration": st.just(True),
}
API_INVALID = {name: st.one_of(TEXT, JSON_JUNK) for name in API_VALID}
API_INVALID["rights"] = st.one_of(RIGHTS, JSON_JUNK)
API_INVALID["declaration"] = JSON_JUNK
API_BODY = mixed(API_VALID, API_INVALID, ("tckn", "passport_no", "email", "phone"))
EXTRA_KEYS = st.dictionaries(st.one_of(ANY_TEXT, st.sampled_from(["website", "status", "id",
                                                                  "__proto__", "files"])),
                             JSON_JUNK, max_size=3)


# Bodies no JSON encoder would write, but a hostile client can.
RAW_BODIES = st.sampled_from([
    b'{"first_name": "\\ud800"}', b'{"rights": ["\\udfff"]}', b'{"\\ud800": 1}',
    b"[" * 100_000, b'{"a":' * 50_000, b"1" * 10_000, b"1e999999", b"NaN", b"-Infinity",
    b'{"first_name": "a", "first_name": 1}', b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00",
    b'{"declaration": true}' + b" " * 10_000, b"{}",
])


@st.composite
def api_requests(draw):
    """Return (raw body, headers): usually a JSON object, sometimes anything at all."""
    kind = draw(st.integers(0, 19))
    if kind == 0:
        raw = draw(st.one_of(st.binary(max_size=200), RAW_BODIES))
    elif kind == 1:
        raw = json.dumps(draw(JSON_JUNK)).encode()
    else:
        body = draw(API_BODY)
        if kind == 2:
            body.update(draw(EXTRA_KEYS))
        raw = json.dumps(body).encode()
    headers = draw(st.sampled_from([{}, {"Accept-Language": "en"},
                                    {"Accept-Language": "tr-TR,tr;q=0.9"},
                                    {"Accept-Language": "\x01;q=abc,,*"}]))
    return raw, headers


def test_api_answers_every_payload_with_201_or_4xx(make_app):
    app = make_app(RATELIMIT_ENABLED=False)
    client = app.test_client()
    seen: Counter[int] = Counter()

    @_settings(API_EXAMPLES)
    @given(api_requests())
    def send(request):
        raw, headers = request
        response = client.post("/api/v1/requests", data=raw, headers=headers,
                               content_type="application/json")
        seen[response.status_code] += 1
        assert response.status_code == 201 or 400 <= response.status_code < 500, raw[:500]
        answer = response.get_json()
        if response.status_code == 201:
            assert answer["tracking_no"] and answer["access_code"]
        else:
            assert isinstance(answer["errors"], dict) and answer["errors"]
            assert all(isinstance(m, str) for ms in answer["errors"].values() for m in ms)

    send()
    assert count_applications(app) == seen[201]
    assert seen[201] > API_EXAMPLES // 20, f"too few successes to mean much: {dict(seen)}"
    assert seen[422] > 0 and seen[400] > 0, dict(seen)


FILE_CONTENT = st.one_of(
    st.sampled_from([PDF, PNG, JPEG, HTML_AS_PDF, b"", b"%PDF", b"\x89PNG"]),
    st.binary(max_size=64),
    st.builds(lambda head, n: head + b"\x00" * n, st.sampled_from([PDF, PNG, JPEG]),
              st.integers(FILE_LIMIT - 64, FILE_LIMIT + 64)),
)
FILE_NAME = st.one_of(st.sampled_from(["belge.pdf", "foto.JPG", "a.png", "vekalet.pdf",
                                       "fatura\u202efdp.exe", "../../x.pdf", "ğüşiöç.pdf",
                                       "a\x00.pdf", "x" * 300 + ".pdf"]),
                      st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40))
FILE_FIELD = st.one_of(st.sampled_from(["attachments", "attachments", "power_of_attorney",
                                        "first_name", "rights", "declaration", "website",
                                        "csrf_token"]), ANY_TEXT)


FORM_VALID = {
    **{name: API_VALID[name] for name in API_VALID if name != "declaration"},
    "declaration": st.just("y"),
    "representative_name": st.just(""),
    "website": st.just(""),
}
FORM_INVALID = {name: TEXT for name in FORM_VALID}
FORM_INVALID["rights"] = st.lists(CODE, max_size=60)
FORM_INVALID["declaration"] = st.sampled_from(["", "false", "0", "no", "yes", "\x00"])
FORM_FIELDS = mixed(FORM_VALID, FORM_INVALID, ("phone", "email", "passport_no",
                                               "representative_name", "website", "rights"))
EXTRA_FIELDS = st.dictionaries(ANY_TEXT, TEXT, max_size=3)
FILES = st.lists(st.tuples(FILE_FIELD, FILE_CONTENT, FILE_NAME), max_size=4)


@st.composite
def form_posts(draw):
    """Return (form data as a MultiDict, query string, headers)."""
    pairs: list[tuple[str, object]] = []
    sent = draw(FORM_FIELDS)
    if draw(st.integers(0, 9)) == 0:
        sent.update(draw(EXTRA_FIELDS))
    for name, value in sent.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    if draw(st.integers(0, 2)) == 0:
        for field, content, filename in draw(FILES):
            pairs.append((field, (io.BytesIO(content), filename)))
    query = draw(st.sampled_from(["", "?lang=en", "?lang=tr", "?lang=%00"]))
    headers = draw(st.sampled_from([{}, {"Accept-Language": "en"}]))
    return MultiDict(pairs), query, headers


def test_form_answers_every_post_with_303_or_4xx(make_app):
    app = make_app(RATELIMIT_ENABLED=False, KVKK_MAX_FILE_BYTES=FILE_LIMIT,
                   MAX_CONTENT_LENGTH=REQUEST_LIMIT)
    client = app.test_client()
    seen: Counter[int] = Counter()

    @_settings(FORM_EXAMPLES)
    @given(form_posts())
    def post(request):
        data, query, headers = request
        multipart = any(isinstance(v, tuple) for v in data.values())
        response = client.post(f"/apply{query}", data=data, headers=headers,
                               content_type="multipart/form-data" if multipart else None)
        seen[response.status_code] += 1
        assert response.status_code == 303 or 400 <= response.status_code < 500
        if response.status_code == 303:
            assert response.headers["Location"].endswith("/apply/done")

    post()
    assert count_applications(app) == seen[303]
    assert seen[303] > FORM_EXAMPLES // 20, f"too few successes to mean much: {dict(seen)}"
    with app.app_context():
        attachments = db.session.scalar(select(func.count()).select_from(Attachment))
    upload_dir = Path(app.config["KVKK_UPLOAD_DIR"])
    on_disk = [p for p in upload_dir.rglob("*") if p.is_file()] if upload_dir.exists() else []
    assert len(on_disk) == attachments, "every stored file belongs to a stored attachment"


# Header values travel as Latin-1; anything printable in it is fair game.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)


def test_status_lookups_never_fail(make_app):
    """Random numbers and codes, on the form and the API, find nothing and break nothing."""
    app = make_app(RATELIMIT_ENABLED=False)
    client = app.test_client()
    number = st.one_of(TEXT, st.from_regex(r"(?i)kvkk-?20[0-9]{2}-?[0-9a-z]{4}-?[0-9a-z]{4}",
                                           fullmatch=True))

    @_settings(max(int(150 * SCALE), 1))
    @given(number, st.one_of(TEXT, HEADER_TEXT), HEADER_TEXT)
    def look_up(tracking_no, access_code, header_code):
        response = client.post("/status", data={"tracking_no": tracking_no,
                                                "access_code": access_code})
        assert response.status_code in (400, 404)
        # follow_redirects: "%2F0" decodes to "//0", which routing merges with a 308 first.
        api = client.get(f"/api/v1/requests/{quote(tracking_no, safe='')}",
                         headers={"X-Access-Code": header_code}, follow_redirects=True)
        assert api.status_code == 404

    look_up()
