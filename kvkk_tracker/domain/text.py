"""Turkish-aware text helpers: Python's str.upper()/lower() get İ/ı wrong for Turkish."""

from __future__ import annotations

import unicodedata

_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_LOWER = str.maketrans({"İ": "i", "I": "ı"})


def tr_upper(text: str) -> str:
    return text.translate(_UPPER).upper()


def tr_lower(text: str) -> str:
    return text.translate(_LOWER).lower()


def tr_fold(text: str) -> str:
    """Return a case-folded key for Turkish search: 'IŞIK', 'ışık' and 'Işık' all match."""
    return unicodedata.normalize("NFC", tr_lower(unicodedata.normalize("NFC", text))).strip()


def format_date(value) -> str:
    """Format a date as dd.mm.yyyy, the Turkish convention."""
    return value.strftime("%d.%m.%Y")


_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}


def tr_sort_key(text: str) -> tuple:
    """Return a key that sorts by the Turkish alphabet (ç after c, ı before i, ...)."""
    return tuple(_ORDER.get(ch, 100 + ord(ch)) for ch in tr_lower(text))
