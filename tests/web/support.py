"""Helpers for tests that read pages the way a user does: by what is on them."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from kvkk_tracker.domain.identifiers import CROCKFORD

# Small files whose first bytes prove their type; the rest is filler.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20) + b"\xff\xd9"
HTML_AS_PDF = b"<html><body><script>alert(1)</script></body></html>"

_SYM = f"[{CROCKFORD}]"
TRACKING_RE = re.compile(rf"^KVKK-\d{{4}}-{_SYM}{{4}}-{_SYM}{{4}}$")
ACCESS_CODE_RE = re.compile(rf"^{_SYM}{{4}}-{_SYM}{{4}}-{_SYM}{{4}}-{_SYM}{{4}}$")
DATE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class Page(HTMLParser):
    """A parsed HTML page with find-by-id and find-all helpers."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.root = Node("#root", {}, None)
        self._current = self.root
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self._current)
        self._current.children.append(node)
        if tag not in _VOID:
            self._current = node

    def handle_startendtag(self, tag, attrs):
        self._current.children.append(Node(tag, dict(attrs), self._current))

    def handle_endtag(self, tag):
        node = self._current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self._current = node.parent

    def handle_data(self, data):
        self._current.children.append(data)

    def by_id(self, ident: str) -> Node | None:
        return next((n for n in self.root.iter() if n.get("id") == ident), None)

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        found = []
        for node in self.root.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(node.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def h1(self) -> str:
        return self.find_all("h1")[0].text()

    def field_errors(self, field: str) -> list[str]:
        """The messages in the error list next to a field, as a screen reader reaches them."""
        node = self.by_id(f"{field}-error")
        return [] if node is None else [li.text() for li in node.iter() if li.tag == "li"]

    def value(self, field: str) -> str | None:
        """What the form shows in a text input, a textarea or a select."""
        node = self.by_id(field)
        assert node is not None, f"no control with id={field!r}"
        if node.tag == "textarea":
            text = "".join(c for c in node.children if isinstance(c, str))
            # A browser drops one newline right after <textarea> (CRLF counts as one).
            return text.removeprefix("\r\n") if text.startswith("\r\n") else text.removeprefix(
                "\n")
        if node.tag == "select":
            chosen = [o for o in node.iter() if o.tag == "option" and "selected" in o.attrs]
            return chosen[0].get("value") if chosen else None
        return node.get("value")

    def checked_rights(self) -> set[str]:
        return {n.get("value") for n in self.find_all("input", name="rights")
                if "checked" in n.attrs}

    def by_testid(self, testid: str) -> str:
        nodes = self.find_all(data_testid=testid)
        assert nodes, f"no element with data-testid={testid!r}"
        return nodes[0].text()


def page(response) -> Page:
    return Page(response.get_data(as_text=True))


def csrf_token(response) -> str:
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, "the page carries no CSRF token"
    return match.group(1)


def without_csrf(html: str) -> str:
    return CSRF_RE.sub('name="csrf_token" type="hidden" value=""', html)


def upload(data: bytes, filename: str):
    return (io.BytesIO(data), filename)


def stored_files(app) -> list[Path]:
    directory = Path(app.config["KVKK_UPLOAD_DIR"])
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


def assert_friendly_error(response, status: int, title: str) -> Page:
    """The user got an error page of ours, with a heading, not a traceback or a bare error."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Traceback" not in html and "Werkzeug" not in html
    shown = Page(html)
    assert shown.h1() == title
    assert shown.find_all("a", href="/"), "the error page offers a way back"
    return shown
