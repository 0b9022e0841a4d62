"""The letter engine's contract: kinds, the RenderedLetter it returns, PDF/A, drafts."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

from kvkk_tracker.pdf import KINDS, LetterError, render_html, render_letter

from .conftest import flat, pdf_text


def embedded_fonts(reader: PdfReader) -> set[str]:
    """Return the base names of the fonts used, failing if any is not embedded."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in font.get("/DescendantFonts", [font]):
                descriptor = part.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture
def decided(case):
    return case(rights=("a", "e"), decisions={"a": ("accepted", None, None),
                                             "e": ("accepted", None, None)},
                actions=[("e", "erased", None)])


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_a_pdf_a_with_its_own_page_count(decided, context_for, kind):
    letter = render_letter(kind, context_for(decided, kind, extra={"request": "Kimlik"}))
    reader = PdfReader(io.BytesIO(letter.pdf))
    assert letter.pdf.startswith(b"%PDF-1.7")
    assert letter.page_count == len(reader.pages)
    assert reader.xmp_metadata.pdfaid_part == "3"
    assert reader.xmp_metadata.pdfaid_conformance == "B"
    assert "/OutputIntents" in reader.trailer["/Root"]
    # Document information and its XMP copy, as PDF/A wants them to agree.
    assert reader.metadata.title.endswith(decided.tracking_no)
    assert reader.metadata.author == reader.xmp_metadata.dc_creator[0] == \
        "Örnek Veri Sorumlusu A.Ş."
    assert reader.metadata["/CreationDate"] == "D:20260415100000+03'00"  # the letter's `now`
    assert embedded_fonts(reader) == {"KVKK-Serif", "KVKK-Serif-Bold"}  # the bundled DejaVu
    assert letter.template_version.startswith(f"{kind}-")
    assert letter.params == {"variant": "pdf/a-3b", "draft": False, "locale": "tr",
                             "page_size": "A4", "renderer": "WeasyPrint 70.0"}
    assert '<html lang="tr">' in letter.html


def test_unknown_kind_is_refused(decided, context_for):
    with pytest.raises(LetterError):
        render_letter("invoice", context_for(decided, "reply"))


def test_draft_is_watermarked_on_every_page_and_final_is_not(case, context_for):
    long_subject = "Uzun bir başvuru metni. " * 400
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)},
                       subject=long_subject)
    context = context_for(application, "reply")
    draft = render_letter("reply", context, draft=True)
    final = render_letter("reply", context)
    assert draft.page_count >= 2
    assert draft.params["draft"] is True
    assert all("TASLAK" in page and "imzalı nihai yazı değildir" in page
               for page in pdf_text(draft.pdf))
    assert not any("TASLAK" in page for page in pdf_text(final.pdf))


def test_rendering_is_deterministic(decided, context_for):
    context = context_for(decided, "reply")
    assert render_letter("reply", context).pdf == render_letter("reply", context).pdf


def test_a_threads_first_letter_has_the_same_bytes_as_later_ones(decided, context_for):
    # Each thread builds its own stylesheets and colour profile, so a new thread's first letter
    # is a first render. Its ICC profile used to be serialised differently from later ones.
    context = context_for(decided, "reply")
    render_letter("reply", context)
    later = render_letter("reply", context).pdf
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(render_letter, "reply", context).result().pdf
    assert first == later


def test_html_preview_is_self_contained(decided, context_for):
    html = render_html("reply", context_for(decided, "reply"))
    assert "<style>" in html and "@page" in html
    # The stylesheet as written: a browser does not decode &#34; inside <style>.
    assert 'content: "Sayfa " counter(page) " / " counter(pages);' in html
    assert "&#34;" not in html
    assert "kvkk-asset:" not in html  # a browser could not fetch those
    assert "Bu cevap yazısının sayfa sayısı" in flat(html)


def test_html_preview_inlines_the_logo_and_marks_drafts(app, case, context_for, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = context_for(application, "reply",
                          config={**app.config, "KVKK_CONTROLLER_LOGO": str(logo)})
    draft = render_html("reply", context, draft=True)
    assert 'src="data:image/svg+xml;base64,' in draft
    assert "TASLAK" in draft
    assert "TASLAK" not in render_html("reply", context)
    # The PDF's own HTML names the logo as a package asset, for the fetcher.
    assert 'src="kvkk-asset:logo"' in render_letter("reply", context).html


def test_a_missing_logo_file_leaves_the_letterhead_without_it(app, case, context_for, tmp_path):
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = context_for(application, "reply", config={
        **app.config, "KVKK_CONTROLLER_LOGO": str(tmp_path / "missing.png")})
    letter = render_letter("reply", context)
    assert not PdfReader(io.BytesIO(letter.pdf)).pages[0]["/Resources"]["/XObject"]
    assert "<img" not in render_html("reply", context)


def test_only_whitespace_next_to_block_tags_is_dropped_before_layout():
    from kvkk_tracker.pdf.render import _BLOCK_GAP

    html = '<div>\n  <p>Ad <b>Soyad</b>\n<b>İkinci</b> <span>x</span></p>\n</div>\n<td> y </td>'
    assert _BLOCK_GAP.sub(">", html) == \
        '<div><p>Ad <b>Soyad</b>\n<b>İkinci</b> <span>x</span></p></div><td> y </td>'


@pytest.mark.parametrize("compress", [True, False])
def test_the_engines_stream_serialisation_is_pydyfs_but_for_the_level(monkeypatch, compress):
    # stream_data copies pydyf's Stream.data to choose the zlib level; a pydyf that serialises
    # streams differently must fail here, not produce subtly different PDFs.
    import pydyf

    from kvkk_tracker.pdf import pdf_objects

    stream = pydyf.Stream([b"BT", "/F1 12 Tf", 1.5, b"ET"], {"Type": "/XObject"},
                          compress=compress)
    monkeypatch.setattr(pdf_objects, "COMPRESSION_LEVEL", 9)
    assert pdf_objects.stream_data(stream) == pydyf.Stream.data.fget(stream)
