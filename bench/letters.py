"""Time the formal letters (issue 5), and regenerate the sample images in docs/samples/.

    .venv/bin/python bench/letters.py [--runs 30] [--runs-long 7]
    .venv/bin/python bench/letters.py --samples docs/samples [--resolution 80]
    .venv/bin/python bench/letters.py --ablations [--runs 30]

The bench renders, in one warm process, the median of:

1. a one-page reply letter (`render_letter("reply", ...)`: Jinja, layout, PDF/A-3b);
2. a ten-page reply letter (the same, with a long processing inventory);
3. WeasyPrint rendering a bare HTML page holding the same text as the one-page letter (no
   stylesheet, no fonts of ours, plain PDF): the floor any letter engine stands on;

and prints the ratio of 1 to 3. Targets: one-page reply <= 150 ms median, <= 1.3x the bare
render. For the analysis it also times the bare text rendered through the engine (fonts,
stylesheet, margin boxes, PDF/A: what the engine adds), the same letter through an uncached
WeasyPrint call, and a one-page render split into its steps. Times are medians of interleaved
runs, wall clock and CPU time of the process (steadier when the machine is shared).

`--ablations` times the one-page reply against variants of itself, each without one feature
(bold, the page-number margin box, the tab-aligned labels, the letterhead's details, the nowrap
span, PDF/A) or with justified paragraphs, in paired interleaved runs: the median of the per-round
differences says what each feature costs, with less noise than two separate medians on a shared
machine.

The letters are built from an in-memory application (no database): the context comes from
the real `letter_context`, so the timings include building it.

`--samples DIR` writes page 1 of each of the four letters as PNG (pdftoppm, poppler-utils)
plus the PDFs' first pages are what docs/samples/README.md shows.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from kvkk_tracker.models import Application, ApplicationRight, RightAction, User  # noqa: E402
from kvkk_tracker.pdf import (  # noqa: E402
    letter_context,
    pdf_objects,  # noqa: E402
    render_letter,
)
from kvkk_tracker.pdf import render as engine  # noqa: E402
from kvkk_tracker.pdf.assets import TEMPLATE_DIR, AssetFetcher  # noqa: E402

LETTER_CSS = "".join((TEMPLATE_DIR / n).read_text(encoding="utf-8")
                     for n in ("fonts.css", "letter.css"))
NOW = datetime(2026, 4, 15, 9, 30, tzinfo=UTC)  # 12:30 in Istanbul, day 14 of 30
SETTINGS = {key: getattr(Config, key) for key in dir(Config) if key.startswith("KVKK_")}
SETTINGS.update(KVKK_CONTROLLER_MERSIS="0123456789000015", KVKK_CONTROLLER_VERBIS="VRB-2026-0042")
SAMPLE_LOGO = ROOT / "docs" / "samples" / "sample-logo.svg"

INVENTORY_ROW = {
    "b": ("Kimlik (ad, soyad, T.C. kimlik no)", "Sözleşmenin kurulması ve ifası",
          "KVKK m. 5/2-c: sözleşmenin ifası", "Sözleşmenin sona ermesinden itibaren 10 yıl"),
    "c": ("İletişim (adres, e-posta, telefon)", "Müşteri ilişkileri ve şikâyet yönetimi",
          "KVKK m. 5/2-f: meşru menfaat"),
    "cc": ("Müşteri işlem", "Kargo ve lojistik firmaları; bağımsız denetim kuruluşu",
           "Bulut hizmet sağlayıcısı (İrlanda), standart sözleşme, KVKK m. 9/4"),
}


def inventory(rows_per_right: int) -> list[dict]:
    entries = []
    for n in range(rows_per_right):
        b, c, cc = INVENTORY_ROW["b"], INVENTORY_ROW["c"], INVENTORY_ROW["cc"]
        suffix = f" ({n + 1})" if rows_per_right > 1 else ""
        entries += [
            {"right": "b", "category": b[0] + suffix, "purpose": b[1], "legal_basis": b[2],
             "retention": b[3]},
            {"right": "c", "category": c[0] + suffix, "purpose": c[1], "legal_basis": c[2]},
            {"right": "cc", "category": cc[0] + suffix, "recipients_domestic": cc[1],
             "recipients_abroad": cc[2]},
        ]
    return entries


def sample_application(rights=("a", "b", "c", "cc", "e", "f")) -> Application:
    """Return an in-memory application (never added to a session), decided and signed."""
    officer = User(name="Gülşen Öztürk", title="Kişisel Verileri Koruma Uzmanı")
    application = Application(
        tracking_no="KVKK-2026-7K3M-Q2XD", channel="web", status="decided",
        received_at=datetime(2026, 4, 1, 7, 12, tzinfo=UTC),
        statutory_due=date(2026, 5, 1), outer_due=date(2026, 5, 4),
        first_name="Işıl", last_name="Şimşekoğlu", nationality="TR", tckn="17291716060",
        address="Kızılay Mah. Atatürk Blv. No: 5 D: 12, 06420 Çankaya/Ankara",
        email="isil@example.com.tr", phone="0532 123 45 67", identity_status="verified",
        subject="Hakkımda hangi kişisel verilerin, hangi amaçlarla işlendiğini ve kimlere "
                "aktarıldığını öğrenmek; eski adresimin kayıtlarınızdan silinmesini ve bu "
                "silme işleminin verilerimin aktarıldığı üçüncü kişilere bildirilmesini "
                "istiyorum.", assignee=officer)
    decided = {
        "a": ("accepted", None, None, []),
        "b": ("accepted", None, None, []),
        "c": ("accepted", None, None, []),
        "cc": ("accepted", None, None, []),
        "e": ("partially_accepted", "art28_2_a",
              "Eski adresiniz silinmiştir; ancak devam eden bir ceza soruşturması kapsamında "
              "Cumhuriyet Başsavcılığınca istenen işlem kayıtları soruşturma süresince "
              "saklanmaktadır.", [("erased", None)]),
        "f": ("accepted", None, None,
              [("recipient_notified", "Yurtiçi Lojistik A.Ş."),
               ("recipient_notified", "Güneş Bağımsız Denetim ve YMM A.Ş.")]),
    }
    for code in rights:
        outcome, reason, why, actions = decided[code]
        right = ApplicationRight(right_code=code, outcome=outcome, reason_code=reason,
                                 justification=why)
        right.actions = [RightAction(action=a, recipient=r, done_on=date(2026, 4, 10))
                         for a, r in actions]
        application.rights.append(right)
    return application


def context(kind: str, *, rows: int = 1, rights=None, extra=None, logo=False) -> dict:
    application = sample_application(rights) if rights else sample_application()
    settings = {**SETTINGS, "KVKK_CONTROLLER_LOGO": str(SAMPLE_LOGO) if logo else None}
    # The acknowledgement is issued when the application arrives.
    now = application.received_at if kind == "receipt" else NOW
    return letter_context(None, application, kind, now=now, config=settings,
                          inventory=inventory(rows), extra=extra)


ONE_PAGE = {"rights": ("a",)}
TEN_PAGE_ROWS = 48  # rows per right (b, c, ç) that make the sample reply ten pages


class _Text(HTMLParser):
    """Collect the visible text of a letter, one paragraph per block."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "tr", "li", "br"}

    def __init__(self):
        super().__init__()
        self.blocks, self.current, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.skip -= 1
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def bare_html(letter_html: str) -> str:
    parser = _Text()
    parser.feed(letter_html)
    parser.flush()
    body = "".join(f"<p>{block}</p>" for block in parser.blocks)
    return f"<!DOCTYPE html><html><body>{body}</body></html>"


def timed(fn) -> tuple[float, float]:
    """Return the wall and CPU milliseconds of one call (CPU time is steadier on a busy VM)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def interleaved(fns: dict, runs: int, warm: int = 2) -> dict:
    """Time each function `runs` times, taking turns, so that load changes hit all alike."""
    for fn in fns.values():
        for _ in range(warm):
            fn()
    samples = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            samples[name].append(timed(fn))
    return {name: {"wall": statistics.median(w for w, _ in got),
                   "cpu": statistics.median(c for _, c in got),
                   "min": min(w for w, _ in got), "max": max(w for w, _ in got)}
            for name, got in samples.items()}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def show(name: str, figures: dict, runs: int) -> None:
    print(f"  {name:44s} median {figures['wall']:7.1f} ms wall, {figures['cpu']:7.1f} ms CPU "
          f"(wall min {figures['min']:.1f}, max {figures['max']:.1f}; {runs} runs)")


def bench(runs: int, runs_long: int) -> None:
    import weasyprint

    short, long_ = context("reply", **ONE_PAGE), context("reply", rows=TEN_PAGE_ROWS)
    one, ten = render_letter("reply", short), render_letter("reply", long_)
    bare_one, bare_ten = bare_html(one.html), bare_html(ten.html)
    print(f"python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
          f"{os.cpu_count()} CPUs; load average (1/5/15 min) before: {load()}")
    print(f"one-page reply: {one.page_count} page(s), {len(one.pdf):,} bytes; "
          f"ten-page reply: {ten.page_count} page(s), {len(ten.pdf):,} bytes")

    def ten_page_first():
        engine._PAGE_HINTS.clear()  # a letter never rendered before: two layout passes
        render_letter("reply", context("reply", rows=TEN_PAGE_ROWS))

    small = interleaved({
        "one-page reply (render_letter)": lambda: render_letter(
            "reply", context("reply", **ONE_PAGE)),
        "bare WeasyPrint, same text": lambda: weasyprint.HTML(string=bare_one).write_pdf(),
        # The bare text through the engine (its fonts, stylesheet, margin boxes and PDF/A):
        # what the engine itself adds, apart from the letter's own structure.
        "bare text, through the letter engine": lambda: engine._layout(bare_one, None)[0]
        .write_pdf(pdf_variant=engine.PDF_VARIANT, output_intent=pdf_objects.OUTPUT_INTENT,
                   finisher=pdf_objects.serialise_once),
        # The same reply with the sample logo in the letterhead (it stays one page).
        "one-page reply with the sample logo": lambda: render_letter(
            "reply", context("reply", logo=True, **ONE_PAGE)),
        # What a caller without the engine's caches would pay for the very same letter.
        "same letter, uncached WeasyPrint call": lambda: weasyprint.HTML(
            string=one.html, url_fetcher=AssetFetcher()).write_pdf(
            stylesheets=[weasyprint.CSS(string=LETTER_CSS, url_fetcher=AssetFetcher())]),
    }, runs)
    for name, figures in small.items():
        show(name, figures, runs)
    letter, bare, engine_bare = (small[name] for name in (
        "one-page reply (render_letter)", "bare WeasyPrint, same text",
        "bare text, through the letter engine"))
    print(f"  ratio one-page / bare: {letter['wall'] / bare['wall']:.2f}x wall, "
          f"{letter['cpu'] / bare['cpu']:.2f}x CPU  (targets: <= 150 ms, <= 1.3x)")
    print(f"  ratio bare text through the engine / bare: "
          f"{engine_bare['wall'] / bare['wall']:.2f}x wall, "
          f"{engine_bare['cpu'] / bare['cpu']:.2f}x CPU")

    large = interleaved({
        "ten-page reply, first render (2 passes)": ten_page_first,
        "ten-page reply, page count known (1 pass)": lambda: render_letter(
            "reply", context("reply", rows=TEN_PAGE_ROWS)),
        "bare WeasyPrint, ten-page text": lambda: weasyprint.HTML(string=bare_ten).write_pdf(),
    }, runs_long, warm=1)
    for name, figures in large.items():
        show(name, figures, runs_long)

    # Where a one-page render goes.
    ctx = context("reply", **ONE_PAGE)
    steps = interleaved({
        "letter_context": lambda: context("reply", **ONE_PAGE),
        "jinja template": lambda: engine._html("reply", ctx, draft=False, pages=1,
                                               preview=False),
        "layout only": lambda: engine._layout(one.html, None),
        "layout + write_pdf, PDF/A-3b": lambda: engine._layout(one.html, None)[0].write_pdf(
            pdf_variant=engine.PDF_VARIANT, output_intent=pdf_objects.OUTPUT_INTENT,
            finisher=pdf_objects.serialise_once),
        "layout + write_pdf, plain PDF": lambda: engine._layout(one.html, None)[0]
        .write_pdf(),
        "bare: layout only": lambda: weasyprint.HTML(string=bare_one).render(),
    }, runs)
    print("one-page steps:")
    for name, figures in steps.items():
        show(name, figures, runs)
    print(f"load average (1/5/15 min) after: {load()}")


def _variant(css: str):
    """Return a render like the engine's (fonts loaded once, PDF/A-3b) with another stylesheet."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheet = CSS(string=css, font_config=font_config, url_fetcher=AssetFetcher())
    _, _, profiles = engine._stylesheets()

    def render(html: str, variant: str | None = engine.PDF_VARIANT) -> bytes:
        document = HTML(string=html, url_fetcher=AssetFetcher()).render(
            stylesheets=[sheet], font_config=font_config, color_profiles=dict(profiles),
            pdf_variant=variant, output_intent=pdf_objects.OUTPUT_INTENT if variant else None)
        return document.write_pdf(pdf_variant=variant, finisher=pdf_objects.serialise_once,
                                  output_intent=pdf_objects.OUTPUT_INTENT if variant else None)
    return render


def ablations(runs: int) -> None:
    import weasyprint

    html = render_letter("reply", context("reply", **ONE_PAGE)).html
    bare = bare_html(html)
    letter = _variant(LETTER_CSS)
    page_box = 'content: "Sayfa " counter(page) " / " counter(pages);'
    variants = {
        "with justified paragraphs": LETTER_CSS + "p { text-align: justify; }",
        "without bold (one face)": LETTER_CSS.replace("font-weight: bold;", "")
        + "h1, h2, h3, b { font-weight: normal; }",
        "without the page-number margin box": LETTER_CSS.replace(page_box, "content: none;"),
        "without tab-aligned labels (plain spaces)": LETTER_CSS.replace(
            "white-space: pre-wrap; tab-size: 16mm;", ""),
    }
    renders = {name: _variant(css) for name, css in variants.items()}
    no_details = re.sub(r'<div class="details">.*?</div>', "", html, flags=re.S)
    no_nowrap = re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", html)
    fns = {
        "the letter (baseline)": lambda: letter(html),
        **{name: (lambda r=r: r(html)) for name, r in renders.items()},
        "without the letterhead's details": lambda: letter(no_details),
        "without the nowrap legal-basis span": lambda: letter(no_nowrap),
        "without PDF/A (plain PDF)": lambda: letter(html, None),
        "bare text through the engine": lambda: letter(bare),
        "bare WeasyPrint, same text": lambda: weasyprint.HTML(string=bare).write_pdf(),
    }
    print(f"load average (1/5/15 min) before: {load()}")
    for fn in fns.values():
        fn(), fn()
    samples_ = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            samples_[name].append(timed(fn)[1])
    base = samples_["the letter (baseline)"]
    for name, got in samples_.items():
        diff = statistics.median(x - y for x, y in zip(got, base, strict=True))
        print(f"  {name:42s} median {statistics.median(got):6.1f} ms CPU, "
              f"paired difference {diff:+6.1f} ms ({runs} runs)")
    print(f"load average (1/5/15 min) after: {load()}")


def samples(directory: Path, resolution: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    letters = {
        "receipt": ({}, False),
        "reply": ({}, False),
        "info_request": ({"extra": {"request": (
            "1. Başvurunuzda belirttiğiniz eski adresinizin hangi tarihler arasında "
            "kullanıldığı.\n2. Vekil aracılığıyla başvurulmuşsa vekâletnamenin bir örneği.")}},
            True),
        "identity_rejection": ({"extra": {"justification": (
            "Başvurunuz imzasız e-posta ile iletilmiş; 08.04.2026 tarihli yazımızla istenen "
            "doğrulama kodu yasal süre içinde tarafımıza ulaşmamıştır.")}}, False),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for kind, (kwargs, draft) in letters.items():
            letter = render_letter(kind, context(kind, logo=True, **kwargs), draft=draft)
            pdf = Path(tmp) / f"{kind}.pdf"
            pdf.write_bytes(letter.pdf)
            name = f"{kind}{'-draft' if draft else ''}"
            subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1",
                            "-singlefile", str(pdf), str(directory / name)], check=True)
            print(f"{directory / name}.png  ({letter.page_count} page(s), "
                  f"{letter.template_version})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--runs-long", type=int, default=7)
    parser.add_argument("--samples", type=Path, help="write page-1 PNGs into this folder")
    parser.add_argument("--resolution", type=int, default=80)
    parser.add_argument("--ablations", action="store_true",
                        help="what each feature of the one-page reply costs (paired runs)")
    args = parser.parse_args()
    if args.ablations:
        ablations(args.runs)
    elif args.samples:
        samples(args.samples, args.resolution)
    else:
        bench(args.runs, args.runs_long)


if __name__ == "__main__":
    main()
