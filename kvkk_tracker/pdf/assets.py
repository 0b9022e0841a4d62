"""The only things a letter may load: the package's own fonts, stylesheet and logo.

Documents name assets as `kvkk-asset:<name>`. The fetcher answers those from an allow-list
built here and refuses every other URL (http, https, file, data, relative paths...) before
anything is opened, so a letter never touches the network or the file system on its own.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
FONT_DIR = PACKAGE_DIR / "fonts"
TEMPLATE_DIR = PACKAGE_DIR / "templates" / "pdf"
SCHEME = "kvkk-asset:"

FONT_FILES = {
    "fonts/DejaVuSerif.ttf": FONT_DIR / "DejaVuSerif.ttf",
    "fonts/DejaVuSerif-Bold.ttf": FONT_DIR / "DejaVuSerif-Bold.ttf",
    "fonts/DejaVuSans.ttf": FONT_DIR / "DejaVuSans.ttf",
    "fonts/DejaVuSans-Bold.ttf": FONT_DIR / "DejaVuSans-Bold.ttf",
}
LOGO = "logo"

log = logging.getLogger(__name__)


class AssetRefused(ValueError):
    """A document asked for something that is not one of the package's assets."""


def file_version(path: str | Path) -> tuple[str, int, int]:
    """Name one version of a file: a logo replaced at the same path is a new version."""
    stat = Path(path).stat()
    return str(path), stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=16)
def _read_version(version: tuple[str, int, int]) -> bytes:
    return Path(version[0]).read_bytes()


def _read(path: Path) -> bytes:
    return _read_version(file_version(path))


def asset_url(name: str) -> str:
    return f"{SCHEME}{name}"


def logo_data_url(path: str | Path) -> str | None:
    """Return the logo inline, for the HTML preview (a browser cannot ask our fetcher).

    A logo that cannot be read leaves the letterhead without it, as it does in the PDF.
    """
    path = Path(path)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    try:
        data = _read(path)
    except OSError as error:
        log.warning("letter logo unreadable: %s", error)
        return None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def AssetFetcher(logo: str | Path | None = None):
    """Serve `kvkk-asset:` names from an allow-list; refuse everything else, logging it.

    `requested` keeps every URL WeasyPrint asked for and `refused` the ones turned down, so
    that tests can show what a hostile document tried.
    """
    return _fetcher_class()(logo)


@lru_cache(maxsize=1)
def _fetcher_class():
    """Define the fetcher on first use: WeasyPrint is only imported when a PDF is made."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class _AssetFetcher(URLFetcher):
        def __init__(self, logo: str | Path | None = None):
            # No protocol is allowed to the urllib machinery underneath: fetch() never reaches it.
            super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
            self.assets = dict(FONT_FILES)
            if logo:
                self.assets[LOGO] = Path(logo)
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            path = self.assets.get(url[len(SCHEME):]) if url.startswith(SCHEME) else None
            if path is None:
                self.refused.append(url)
                log.warning("letter asset refused: %.200s", url)
                raise AssetRefused(f"not a letter asset: {url[:200]}")
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            log.debug("letter asset served: %s", url)
            return URLFetcherResponse(url, _read(path), {"Content-Type": media_type})

        def open(self, url, data=None, timeout=None):  # never let urllib open anything
            return self.fetch(url if isinstance(url, str) else url.full_url)

    return _AssetFetcher
