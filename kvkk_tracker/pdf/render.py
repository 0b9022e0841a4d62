"""Render the formal letters: Jinja templates in templates/pdf/ to PDF/A with WeasyPrint.

Templates receive a plain-dict context (see context.py), never ORM objects, and are
autoescaped: text typed by applicants or officers can only ever be text. The fonts ship in the
package and are the only files a letter may load (assets.py).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import version as package_version
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..domain.fees import FeePolicy, assess_fee, format_tl
from ..domain.text import format_date, tr_upper
from .assets import TEMPLATE_DIR, AssetFetcher, asset_url, file_version, logo_data_url
from .pdf_objects import ICC_PROFILE, OUTPUT_INTENT, color_profile_class, serialise_once

if TYPE_CHECKING:
    from weasyprint import CSS

# WeasyPrint is imported where a PDF is made, not here: importing it takes about half a second
# and 35 MB, which every `kvkk-tracker` command and web worker would otherwise pay at start.

KINDS = ("receipt", "reply", "info_request", "identity_rejection")
LABELS_FILE = Path(__file__).with_name("labels.py")
PDF_VARIANT = "pdf/a-3b"
LOCALE = "tr"
# The reply's fee statement names the letter's own page count: a letter is laid out with an
# assumed count, then again with the real one. The statement's lines have the same length for
# every count (templates/pdf/reply.html), so the second pass always settles, on the one count
# that is consistent whatever was assumed; the rest is a safety margin.
MAX_PASSES = 4


@lru_cache(maxsize=1)
def _renderer() -> str:
    # importlib.metadata scans the installed distributions on every call (~0.15 ms).
    return f"WeasyPrint {package_version('weasyprint')}"


class LetterError(ValueError):
    pass


class FeeSettingError(LetterError):
    """The fee settings (KVKK_FEE_*) are outside the Tebliğ: no reply can be made until fixed."""


@dataclass(frozen=True)
class RenderedLetter:
    pdf: bytes
    html: str
    page_count: int
    template_version: str
    params: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                      undefined=StrictUndefined, auto_reload=False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = format_date
    env.filters["tr_upper"] = tr_upper
    env.filters["tl"] = format_tl
    return env


def _source(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=len(KINDS))
def template_version(kind: str) -> str:
    """Name the template a letter came from: its kind and a hash of every file it is made of.

    Any edit to the templates or the stylesheet changes the version, so a stored letter always
    says exactly which source produced it.
    """
    digest = hashlib.sha256()
    for name in ("letter.css", "fonts.css", "_base.html", "_macros.html", f"{kind}.html"):
        digest.update(name.encode() + b"\0" + _source(name).encode("utf-8") + b"\0")
    # The Turkish labels for outcomes and actions are wording of the letter too.
    digest.update(b"labels.py\0" + LABELS_FILE.read_bytes())
    return f"{kind}-{digest.hexdigest()[:12]}"


_local = threading.local()


def _stylesheets() -> list[CSS]:
    """Return the stylesheets and colour profile, made once per thread with the fonts loaded.

    Parsing @font-face and loading the fonts is the expensive part of a small render, and a
    FontConfiguration is not meant to be shared between threads.
    """
    cached = getattr(_local, "stylesheets", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        fetcher = AssetFetcher()
        css = CSS(string=_source("fonts.css") + _source("letter.css"), font_config=font_config,
                  url_fetcher=fetcher)
        icc = ICC_PROFILE.read_bytes()
        profile = color_profile_class()(icc, BytesIO(icc), ICC_PROFILE.name,
                                         "relative-colorimetric", (["r"], ["g"], ["b"]))
        cached = _local.stylesheets = (font_config, [css], {OUTPUT_INTENT: profile})
        # Let the FontConfiguration go before interpreter shutdown tears modules down: its
        # __del__ removes a temporary font folder and fails (leaving the folder) once it runs
        # after `shutil` has been cleared.
        atexit.register(vars(_local).clear)
    return cached


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise LetterError(f"unknown letter kind {kind!r}; choose one of {KINDS}")


def _fee(context: Mapping, pages: int) -> dict | None:
    policy = context.get("fee_policy")
    if policy is None:
        return None
    fee = assess_fee(pages, FeePolicy(policy["free_pages"], Decimal(policy["per_page"])),
                     medium_cost=(Decimal(policy["medium_cost"])
                                  if policy.get("medium_cost") is not None else None),
                     controller_error=bool(policy.get("controller_error")))
    return {"pages": fee.pages, "free_pages": policy["free_pages"],
            "chargeable_pages": fee.chargeable_pages, "per_page": Decimal(policy["per_page"]),
            "page_fee": fee.page_fee, "medium_fee": fee.medium_fee, "total": fee.total,
            "payable": fee.payable, "refunded": fee.refunded, "free": fee.free,
            "medium": policy.get("medium")}


# Whitespace between a tag and a block-level tag is never drawn, but WeasyPrint parses it and
# builds a text box for it before discarding it: ~0.7 ms of a one-page letter (paired runs in
# six processes). Whitespace before an inline tag or inside text is left alone.
_BLOCK_GAP = re.compile(
    r">\s+(?=</?(?:html|head|body|meta|title|style|div|p|h[1-6]|table|thead|tbody|tr|td|th|ul|ol"
    r"|li)[\s>/])")


def _html(kind: str, context: Mapping, *, draft: bool, pages: int, preview: bool) -> str:
    logo = context.get("controller", {}).get("logo_path")
    if logo:
        logo_src = logo_data_url(logo) if preview else asset_url("logo")
    else:
        logo_src = None
    inline_css = _source("letter.css") if preview else None
    html = _environment().get_template(f"{kind}.html").render(
        **context, draft=draft, logo_src=logo_src, inline_css=inline_css,
        fee=_fee(context, pages))
    return html if preview else _BLOCK_GAP.sub(">", html)


class _ImageCache(dict):
    """WeasyPrint's image cache, minus failures: a refused URL is asked (and logged) every time."""

    def __setitem__(self, url, image):
        if image is not None:
            super().__setitem__(url, image)


def _image_cache(logo: str | None) -> dict | None:
    """Return WeasyPrint's image cache for this logo, kept per thread while the file is unchanged.

    The logo is then read and decoded once, not on every letter. WeasyPrint keys the cache by
    URL and every logo is `kvkk-asset:logo`, so the cache belongs to one version of one file.
    """
    if not logo:
        return None
    try:
        version = file_version(logo)
    except OSError:
        return None  # the fetcher reports the unreadable logo; the letter goes without it
    cached = getattr(_local, "image_cache", None)
    if cached is None or cached[0] != version:
        cached = _local.image_cache = (version, _ImageCache())
    return cached[1]


def _layout(html: str, logo: str | None):
    from weasyprint import HTML

    font_config, stylesheets, color_profiles = _stylesheets()
    fetcher = AssetFetcher(logo=logo)
    # No base URL: a relative reference in a document resolves to nothing and is not fetched.
    document = HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=font_config, color_profiles=dict(color_profiles),
        pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT, cache=_image_cache(logo))
    return document, fetcher


# The page count each recent letter settled on, keyed by its kind and context: a preview, the
# draft and the final copy of one letter then take one layout pass each instead of two. Only a
# first guess: _settle checks it against the layout every time.
_PAGE_HINTS: OrderedDict[str, int] = OrderedDict()
_PAGE_HINTS_MAX = 256
_hints_lock = threading.Lock()


def _hint_key(kind: str, context: Mapping) -> str:
    # The issue time changes between a preview and the final copy; it is only metadata.
    stable = {key: value for key, value in context.items() if key != "issued_at"}
    data = json.dumps(stable, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{kind}\0{data}".encode()).hexdigest()


def _remember(key: str, pages: int) -> None:
    with _hints_lock:
        _PAGE_HINTS[key] = pages
        _PAGE_HINTS.move_to_end(key)
        while len(_PAGE_HINTS) > _PAGE_HINTS_MAX:
            _PAGE_HINTS.popitem(last=False)


def _settle(kind: str, context: Mapping, draft: bool):
    """Lay the letter out until the page count it states is its own page count.

    The first guess is the count this context settled on before, else the context's optional
    `expected_pages` (e.g. the previous version's count), else one page.
    """
    logo = context.get("controller", {}).get("logo_path")
    if context.get("fee_policy") is None:  # nothing in the text depends on the page count
        html = _html(kind, context, draft=draft, pages=1, preview=False)
        return (html, *_layout(html, logo))
    key = _hint_key(kind, context)
    with _hints_lock:
        hint = _PAGE_HINTS.get(key)
    pages = hint or int(context.get("expected_pages") or 1)
    for _ in range(MAX_PASSES):
        html = _html(kind, context, draft=draft, pages=pages, preview=False)
        document, fetcher = _layout(html, logo)
        if len(document.pages) == pages:
            _remember(key, pages)
            return html, document, fetcher
        pages = len(document.pages)
    raise LetterError(f"the {kind} letter does not settle on a page count")


def render_letter(kind: str, context: dict, *, draft: bool = False) -> RenderedLetter:
    """Render a letter to PDF/A; the fee statement names the PDF's own page count."""
    _check_kind(kind)
    html, document, _ = _settle(kind, context, draft)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, output_intent=OUTPUT_INTENT,
                             finisher=serialise_once)
    params = {"variant": PDF_VARIANT, "draft": draft, "locale": LOCALE, "page_size": "A4",
              "renderer": _renderer()}
    return RenderedLetter(pdf, html, len(document.pages), template_version(kind), params)


def render_html(kind: str, context: dict, *, draft: bool = False) -> str:
    """Return the letter as a self-contained HTML page for the preview, page count settled."""
    _check_kind(kind)
    _, document, _ = _settle(kind, context, draft)
    return _html(kind, context, draft=draft, pages=len(document.pages), preview=True)
