"""Public identifiers: tracking numbers and access codes (Crockford base32)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
# re.ASCII: a bare \d would also accept Arabic-Indic or full-width digits.
TRACKING_RE = re.compile(r"^KVKK-(\d{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$",
                         re.ASCII)
ACCESS_CODE_CHARS = 16  # 16 symbols x 5 bits = 80 bits


def _random_symbols(count: int) -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(count))


def new_tracking_no(year: int) -> str:
    """Return an unguessable tracking number such as KVKK-2026-7XK2-9QMB."""
    body = _random_symbols(8)
    return f"KVKK-{year:04d}-{body[:4]}-{body[4:]}"


def new_access_code() -> str:
    """Return a fresh 80-bit access code, grouped for reading: XXXX-XXXX-XXXX-XXXX."""
    body = _random_symbols(ACCESS_CODE_CHARS)
    return "-".join(body[i : i + 4] for i in range(0, ACCESS_CODE_CHARS, 4))


def _squash(value: str) -> str:
    return "".join(value.split()).replace("-", "").upper().translate(_CONFUSABLE)


def normalize_tracking_no(value: str) -> str | None:
    """Return the canonical tracking number for what a person typed, or None."""
    raw = _squash(value or "")
    if raw.startswith("KVKK"):
        raw = raw[4:]
    if len(raw) != 12 or not (raw[:4].isascii() and raw[:4].isdigit()):
        return None
    candidate = f"KVKK-{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    return candidate if TRACKING_RE.match(candidate) else None


def normalize_access_code(value: str) -> str:
    return _squash(value or "")


def hash_access_code(code: str) -> str:
    """Hash an access code for storage.

    The code carries 80 random bits, so a fast hash is safe here: brute force is out of reach
    without the slow-hash cost that low-entropy passwords need.
    """
    return hashlib.sha256(normalize_access_code(code).encode()).hexdigest()


def access_code_matches(code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code), stored_hash)
