"""Text typed by applicants and officers is text: it renders as such and fetches nothing."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kvkk_tracker.pdf import render_html, render_letter
from kvkk_tracker.pdf.assets import AssetFetcher, AssetRefused
from kvkk_tracker.pdf.render import _layout

from .conftest import pdf_text


@pytest.fixture
def listener():
    """A local web server that counts every request it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join()


def hostile(base: str) -> str:
    return (f'<script>alert("x")</script><img src="{base}/img.png">'
            f'<img src=file:///etc/passwd><link rel="stylesheet" href="{base}/s.css">'
            f'<style>@import url("{base}/i.css"); body {{ background: url({base}/b.png) }}'
            f'</style><iframe src="{base}/f"></iframe><b>kalın</b>')


def test_markup_in_every_free_text_field_renders_as_text_and_fetches_nothing(
        app, case, context_for, listener, caplog):
    base, hits = listener
    text = hostile(base)
    application = case(rights=("a", "e"), subject=text, first_name=text[:100],
                       address=text, decisions={"a": ("accepted", None, None),
                                                "e": ("rejected", "other", text)},
                       actions=[("e", "recipient_notified", text[:300])])
    caplog.set_level(logging.DEBUG, logger="kvkk_tracker.pdf")
    for kind in ("receipt", "reply", "info_request", "identity_rejection"):
        context = context_for(application, kind, extra={"request": text, "justification": text})
        letter = render_letter(kind, context)
        # Without whitespace: long URLs wrap, and extraction shows where the lines broke.
        extracted = "".join(" ".join(pdf_text(letter.pdf)).split())
        assert '<script>alert("x")</script>' in extracted
        assert f'<imgsrc="{base}/img.png">' in extracted
        assert "<imgsrc=file:///etc/passwd>" in extracted
        assert "root:x:0:0" not in extracted
        assert "<script>" not in letter.html  # escaped: &lt;script&gt;
        assert "&lt;script&gt;" in letter.html
        assert "&lt;script&gt;" in render_html(kind, context)
    assert hits == []
    # The engine's fetcher was never even asked for anything it would refuse.
    assert not [r for r in caplog.records if "refused" in r.getMessage()]


def test_the_fetcher_refuses_what_a_careless_template_would_ask_for(listener, tmp_path):
    """Had markup reached the document, the fetcher would refuse every URL, logging it."""
    base, hits = listener
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (f'<html lang="tr"><body><p>Metin</p>{hostile(base)}'
            f'<link rel="stylesheet" href="{secret.as_uri()}"><img src="relative.png">'
            f'<img src="kvkk-asset:../../../../etc/passwd"><img src="kvkk-asset:logo">'
            f'<img src="data:image/png;base64,iVBORw0KGgo="></body></html>')
    document, fetcher = _layout(html, None)
    assert len(document.pages) == 1
    assert hits == []
    assert set(fetcher.refused) >= {f"{base}/img.png", f"{base}/s.css", f"{base}/i.css",
                                    f"{base}/b.png", "file:///etc/passwd", secret.as_uri(),
                                    "kvkk-asset:../../../../etc/passwd", "kvkk-asset:logo"}
    assert [url for url in fetcher.requested if url not in fetcher.refused] == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png", "https://example.com/x.png", "file:///etc/passwd",
    "data:text/css,body{}", "ftp://example.com/x", "kvkk-asset:../fonts/DejaVuSans.ttf",
    "kvkk-asset:/etc/passwd", "kvkk-asset:fonts/../../config.py"])
def test_only_named_package_assets_are_served(url):
    fetcher = AssetFetcher()
    with pytest.raises(AssetRefused):
        fetcher.fetch(url)
    with pytest.raises(AssetRefused):
        fetcher.open(url)
    assert fetcher.refused == [url, url]


def test_package_fonts_and_the_configured_logo_are_served(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = AssetFetcher(logo=logo)
    font = fetcher.fetch("kvkk-asset:fonts/DejaVuSerif.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("kvkk-asset:logo").read() == b"\x89PNG\r\n\x1a\n"
    assert fetcher.refused == []
