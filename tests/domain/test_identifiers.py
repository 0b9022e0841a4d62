"""Tracking numbers and access codes: format, entropy, normalisation and hashing."""

from __future__ import annotations

import math
import re

import pytest

from kvkk_tracker.domain.identifiers import (
    ACCESS_CODE_CHARS,
    CROCKFORD,
    access_code_matches,
    hash_access_code,
    new_access_code,
    new_tracking_no,
    normalize_tracking_no,
)

TRACKING = re.compile(r"^KVKK-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", re.ASCII)
ACCESS = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$", re.ASCII)


def test_crockford_alphabet_has_32_symbols_without_i_l_o_u():
    assert len(CROCKFORD) == len(set(CROCKFORD)) == 32
    assert not set("ILOU") & set(CROCKFORD)


@pytest.mark.parametrize("year", [2026, 2027, 2099])
def test_tracking_numbers_have_the_documented_shape(year):
    numbers = {new_tracking_no(year) for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert TRACKING.match(number), number
        assert number.startswith(f"KVKK-{year}-")
        assert normalize_tracking_no(number) == number


def test_access_codes_carry_at_least_80_bits():
    assert ACCESS_CODE_CHARS >= 16
    assert ACCESS_CODE_CHARS * math.log2(len(CROCKFORD)) >= 80
    codes = {new_access_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert ACCESS.match(code), code
        assert len(code.replace("-", "")) == ACCESS_CODE_CHARS


@pytest.mark.parametrize(
    "typed",
    [
        "KVKK-2026-7XK2-9QMB",
        "kvkk-2026-7xk2-9qmb",
        "KVKK20267XK29QMB",
        "kvkk 2026 7xk2 9qmb",
        "  KVKK-2026-7XK2-9QMB\n",
        "KVKK -2026- 7XK2\t9QMB",
        "2026-7XK2-9QMB",
        "KVKK-2026-7XK2-9QMB-",
    ],
)
def test_normalize_accepts_what_people_type(typed):
    assert normalize_tracking_no(typed) == "KVKK-2026-7XK2-9QMB"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("KVKK-2026-O0O0-IiLl", "KVKK-2026-0000-1111"),
        ("kvkk-2o26-ab0o-11li", "KVKK-2026-AB00-1111"),
        ("KVKK-2026-ıııı-0000", "KVKK-2026-1111-0000"),  # Turkish dotless ı upper-cases to I
    ],
)
def test_normalize_maps_o_i_l_confusables(typed, canonical):
    assert normalize_tracking_no(typed) == canonical


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        None,
        "   ",
        "KVKK",
        "KVKK-2026-7XK2-9QM",  # too short
        "KVKK-2026-7XK2-9QMBB",  # too long
        "KVKK-2026-7XK2-9QMB-ABCD",
        "KVKK-2026-7XK2-9QMU",  # U is not Crockford
        "KVKK-20X6-7XK2-9QMB",
        "KVKK-2026-7XK2-9QM!",
        "KVKK-2026-7XK2-9QM_",
        "KVKK-٢٠٢٦-7XK2-9QMB",  # Arabic-Indic digits
        "KVKK-２０２６-7XK2-9QMB",  # full-width digits
        "KVKK-2026-7XK2-9QMß",
        "'; DROP TABLE applications; --",
        "XXXX-2026-7XK2-9QMB",
    ],
)
def test_normalize_rejects_garbage(garbage):
    assert normalize_tracking_no(garbage) is None


def test_access_code_hash_is_stable_hex_and_not_the_code():
    code = new_access_code()
    stored = hash_access_code(code)
    assert stored == hash_access_code(code)
    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert code.replace("-", "") not in stored.upper()


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD-EFGH-JKMN-0123",
        "abcd-efgh-jkmn-0123",
        "ABCDEFGHJKMN0123",
        " abcd efgh jkmn 0123 ",
        "ABCD-EFGH-JKMN-O123",  # O for 0
    ],
)
def test_access_code_matches_what_people_type(typed):
    stored = hash_access_code("ABCD-EFGH-JKMN-0123")
    assert access_code_matches(typed, stored)


@pytest.mark.parametrize(
    "typed", ["", "ABCD-EFGH-JKMN-0124", "ABCD-EFGH-JKMN-012", "BCDA-EFGH-JKMN-0123"]
)
def test_access_code_rejects_other_codes(typed):
    assert not access_code_matches(typed, hash_access_code("ABCD-EFGH-JKMN-0123"))


def test_different_codes_hash_differently():
    assert len({hash_access_code(new_access_code()) for _ in range(100)}) == 100
