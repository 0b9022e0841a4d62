"""Nationalities for the form: ISO 3166 alpha-2 codes with names in the UI language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

from ...domain.text import tr_sort_key

# Babel lists regions and placeholders that are not countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}


@lru_cache(maxsize=4)
def country_choices(lang: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(lang).territories
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    rest = sorted((c for c in codes if c != "TR"), key=lambda c: tr_sort_key(names[c]))
    return tuple((code, names[code]) for code in ["TR", *rest])


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in country_choices("en"))
