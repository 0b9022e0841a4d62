"""Real-browser fixtures: Debian's chromium through pytest-playwright, and a live server.

Never run `playwright install` here: it downloads a browser and fails. Playwright drives the
system chromium instead (see /work/shared/ENVIRONMENT.md).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
CALL_REPORT = pytest.StashKey[pytest.TestReport]()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make debs-test` (apt package chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """Shadow pytest-playwright's fallback `base_url`.

    Without pytest-base-url, pytest-playwright 0.10.0 defines `base_url` as an instance method
    of a plugin class; pytest 9 warns about that (PytestRemovedIn10Warning), and
    filterwarnings=error turns the warning into an error. The tests use live_server.url.
    """
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Chromium sends Accept-Language: en-US by default; a Turkish applicant's browser sends tr.
    return {**browser_context_args, "locale": "tr-TR", "timezone_id": "Europe/Istanbul"}


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str


@pytest.fixture
def live_server(make_app) -> Iterator[LiveServer]:
    """The app behind a real threaded werkzeug server on a free loopback port, CSRF on."""
    app = make_app(WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


@pytest.fixture
def page(page, request):
    """pytest-playwright's page; on failure its screenshot and HTML go to test-artifacts/."""
    yield page
    report = request.node.stash.get(CALL_REPORT, None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid).strip("-")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True, timeout=5000)
        (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a failed screenshot must not hide the real failure
        print(f"could not save the failure screenshot: {exc!r}")
