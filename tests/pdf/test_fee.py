"""The fee statement at the Tebliğ Art. 7 boundary: ten pages free, the eleventh page charged."""

from __future__ import annotations

import pytest

from kvkk_tracker.pdf import render as engine
from kvkk_tracker.pdf import render_letter

from .conftest import flat, pdf_text

# Finding the 10/11-page boundary lays out about ten long letters.
pytestmark = pytest.mark.slow


@pytest.fixture
def letter_of(app, case, context_for):
    """Builder: the reply letter whose subject runs to `lines` lines, with a 1 TL page fee."""
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    last = {"pages": 1}

    def build(lines: int, per_page: str = "1", hint: int | None = None, **extra):
        application.subject = "\n".join(f"Başvuru metninin {n}. satırı" for n in range(lines))
        context = context_for(application, "reply", extra=extra,
                              config={**app.config, "KVKK_FEE_PER_PAGE": per_page})
        # Start from the last count: a search renders neighbours, mostly in one pass.
        context["expected_pages"] = hint or last["pages"]
        engine._PAGE_HINTS.clear()
        letter = render_letter("reply", context)
        last["pages"] = letter.page_count
        return letter

    return build


@pytest.fixture(scope="module")
def boundary():
    """Remember the subject length at which the letter grows from ten to eleven pages."""
    return {}


def lines_for_eleven_pages(letter_of, boundary, per_page: str = "1") -> int:
    """Return the fewest subject lines that make an eleven-page letter (pages grow with lines)."""
    if per_page not in boundary:
        first = letter_of(300, per_page)
        lines_per_page = 300 / max(first.page_count - 1, 1)
        low, high = int(lines_per_page * 8.5), int(lines_per_page * 10.5)
        assert letter_of(low, per_page).page_count <= 10
        assert letter_of(high, per_page).page_count >= 11
        while high - low > 1:
            middle = (low + high) // 2
            if letter_of(middle, per_page).page_count >= 11:
                high = middle
            else:
                low = middle
        boundary[per_page] = high
    return boundary[per_page]


def test_ten_pages_are_free_and_the_eleventh_costs_one_lira(letter_of, boundary):
    lines = lines_for_eleven_pages(letter_of, boundary)
    ten, eleven = letter_of(lines - 1), letter_of(lines)
    assert (ten.page_count, eleven.page_count) == (10, 11)

    ten_text = flat(" ".join(pdf_text(ten.pdf)))
    assert "Bu cevap yazısının sayfa sayısı: 10" in ten_text
    assert "Ücrete tabi sayfa (10 sayfanın üzeri): 0 × 1,00 TL = 0,00 TL" in ten_text
    assert "Ödenecek tutar: 0,00 TL – ücret talep edilmemektedir." in ten_text

    eleven_text = flat(" ".join(pdf_text(eleven.pdf)))
    assert "Bu cevap yazısının sayfa sayısı: 11" in eleven_text
    assert "Ücrete tabi sayfa (10 sayfanın üzeri): 1 × 1,00 TL = 1,00 TL" in eleven_text
    assert "Ödenecek tutar: 1,00 TL" in eleven_text
    assert "ücret talep edilmemektedir" not in eleven_text
    assert "Sayfa 11 / 11" in pdf_text(eleven.pdf)[10]


def test_the_page_count_does_not_depend_on_the_first_guess(letter_of, boundary):
    """Preview, draft and final copy agree whatever count the engine assumed first."""
    lines = lines_for_eleven_pages(letter_of, boundary)
    for at in (lines - 1, lines):
        copies = {letter_of(at, hint=hint).pdf for hint in (1, 10, 11, 30)}
        assert len(copies) == 1


def test_default_fee_is_nothing_even_above_ten_pages(letter_of, boundary):
    eleven = letter_of(lines_for_eleven_pages(letter_of, boundary, "0"), per_page="0")
    text = flat(" ".join(pdf_text(eleven.pdf)))
    assert eleven.page_count == 11
    assert "Bu cevap yazısının sayfa sayısı: 11" in text
    assert "Ödenecek tutar: 0,00 TL – ücret talep edilmemektedir." in text


def test_the_controllers_error_means_no_fee(letter_of, boundary):
    eleven = letter_of(lines_for_eleven_pages(letter_of, boundary), controller_error=True)
    text = flat(" ".join(pdf_text(eleven.pdf)))
    assert "Ücrete tabi sayfa (10 sayfanın üzeri): 1 × 1,00 TL = 1,00 TL" in text
    assert "Ödenecek tutar: 0,00 TL – ücret talep edilmemektedir." in text
    assert ("Başvurunuz veri sorumlusunun hatasından kaynaklandığından ücret alınmaz; ödenmiş "
            "bir ücret varsa iade edilir.") in text


def test_a_recording_medium_costs_at_most_the_medium(letter_of):
    letter = letter_of(1, medium="USB bellek", medium_cost="35.5")
    text = flat(" ".join(pdf_text(letter.pdf)))
    assert "Kayıt ortamı (USB bellek): 35,50 TL" in text
    assert "Ödenecek tutar: 35,50 TL" in text
