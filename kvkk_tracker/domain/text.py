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
    # Not strftime: glibc's %Y drops the zero padding below year 1000.
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


# The Turkish alphabet, with q, w and x slotted in where Latin puts them (foreign names).
_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_SPACE, _DIGIT, _LETTER = 0, 1, 2


def _char_key(ch: str) -> tuple[int, int]:
    if ch in _ORDER:
        return (_LETTER, _ORDER[ch])
    base = unicodedata.normalize("NFD", ch)[0]
    if base in _ORDER:  # â, î, û, é, å...: sort with the bare letter
        return (_LETTER, _ORDER[base])
    if ch.isalpha():
        return (_LETTER, len(_ALPHABET) + ord(ch))
    if ch.isdigit():
        return (_DIGIT, ord(ch))
    # Spaces and punctuation sort before everything, so "Ali Veli" comes before "Alican".
    return (_SPACE, ord(ch))


def tr_sort_key(text: str) -> tuple:
    """Return a key that sorts by the Turkish alphabet (ç after c, ı before i, ...).

    Letters outside the alphabet sort with their base letter (â with a); exact text breaks ties
    so that the order is total.
    """
    folded = tr_lower(unicodedata.normalize("NFC", text))
    return (tuple(_char_key(ch) for ch in folded), text)
