"""Turkish-aware casing, folding, sorting and date formatting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kvkk_tracker.domain.text import format_date, tr_fold, tr_lower, tr_sort_key, tr_upper


@pytest.mark.parametrize(
    ("text", "upper"),
    [
        ("istanbul ılık", "İSTANBUL ILIK"),
        ("iğdır", "İĞDIR"),
        ("şişli çiçekçi", "ŞİŞLİ ÇİÇEKÇİ"),
        ("ödünç üzüm", "ÖDÜNÇ ÜZÜM"),
        ("İstanbul", "İSTANBUL"),
        ("", ""),
    ],
)
def test_tr_upper(text, upper):
    assert tr_upper(text) == upper


@pytest.mark.parametrize(
    ("text", "lower"),
    [
        ("IŞIK İĞNE", "ışık iğne"),
        ("İSTANBUL", "istanbul"),
        ("DİYARBAKIR", "diyarbakır"),
        ("ÇÖĞÜŞ", "çöğüş"),
        ("", ""),
    ],
)
def test_tr_lower(text, lower):
    assert tr_lower(text) == lower


def test_python_casing_is_wrong_for_turkish_and_ours_is_not():
    assert "istanbul".upper() == "ISTANBUL"
    assert tr_upper("istanbul") == "İSTANBUL"
    assert tr_lower(tr_upper("ılık iğne")) == "ılık iğne"


@pytest.mark.parametrize("variant", ["IŞIK", "ışık", "Işık", " Işık ", "I\u015eIK", "Is\u0327ık"])
def test_tr_fold_matches_case_and_composition_variants(variant):
    assert tr_fold(variant) == tr_fold("ışık") == "ışık"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("İSTANBUL", "istanbul"),
        ("ÇAĞLAR ÖZTÜRK", "çağlar öztürk"),
        ("I\u0307STANBUL", "istanbul"),  # İ typed as I + combining dot
    ],
)
def test_tr_fold_equal(left, right):
    assert tr_fold(left) == tr_fold(right)


@pytest.mark.parametrize(("left", "right"), [("ışık", "işik"), ("IŞIK", "ISIK"), ("çay", "cay")])
def test_tr_fold_keeps_turkish_letters_apart(left, right):
    assert tr_fold(left) != tr_fold(right)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("c", "ç"),
        ("cz", "ç"),
        ("çz", "d"),
        ("g", "ğ"),
        ("gz", "ğ"),
        ("ğz", "h"),
        ("ı", "i"),
        ("ız", "i"),
        ("Irak", "İran"),
        ("o", "ö"),
        ("oz", "ö"),
        ("öz", "p"),
        ("s", "ş"),
        ("sz", "ş"),
        ("şz", "t"),
        ("u", "ü"),
        ("uz", "ü"),
        ("üz", "v"),
        ("Cezayir", "Çin"),
        ("Çin", "Danimarka"),
        ("ada", "Adana"),
        ("Ali Veli", "Alican"),  # a space sorts before any letter
        ("Adem", "Âdem"),  # â sorts with a; exact text breaks the tie
        ("Âdem", "Adil"),
        ("Perú", "Polonya"),
        ("Qatar", "Ruanda"),  # q, w, x sit in their Latin places
        ("Vietnam", "Wallis"),
        ("Wallis", "Yemen"),
        ("2 Mart", "Ağrı"),
    ],
)
def test_tr_sort_key_orders_by_the_turkish_alphabet(first, second):
    assert tr_sort_key(first) < tr_sort_key(second)
    assert sorted([second, first], key=tr_sort_key) == [first, second]


def test_tr_sort_key_sorts_provinces():
    provinces = ["Uşak", "Şırnak", "Ünye", "Çorum", "Ordu", "İzmir", "Sinop", "Iğdır", "Ödemiş",
                 "Ceyhan", "Giresun", "Ğ", "Hakkâri", "Zonguldak"]
    assert sorted(provinces, key=tr_sort_key) == [
        "Ceyhan", "Çorum", "Giresun", "Ğ", "Hakkâri", "Iğdır", "İzmir", "Ordu", "Ödemiş", "Sinop",
        "Şırnak", "Uşak", "Ünye", "Zonguldak",
    ]


def test_tr_sort_key_ignores_case():
    assert tr_sort_key("çiçek")[0] == tr_sort_key("ÇİÇEK")[0]
    assert sorted(["b", "A", "ç", "C"], key=tr_sort_key) == ["A", "b", "C", "ç"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 5, 4), "04.05.2026"),
        (date(2026, 12, 31), "31.12.2026"),
        (datetime(2027, 1, 1, 23, 59), "01.01.2027"),
        (date(999, 2, 3), "03.02.0999"),
    ],
)
def test_format_date_is_dd_mm_yyyy(value, text):
    assert format_date(value) == text
