"""End-to-end journeys: a live server with mail captured by a real SMTP server (aiosmtpd),
driven in Debian's chromium; axe-core checks each page it is asked to."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from werkzeug.serving import make_server

# The real-browser fixtures and the failure screenshots of tests/browser, for this folder too.
from ..browser.conftest import (  # noqa: F401
    base_url,
    browser_context_args,
    browser_type_launch_args,
    page,
    pytest_runtest_makereport,
)
from ..builders import VALID_TCKN
from ..jobs.conftest import free_port
from ..jobs.smtp import SmtpSink
from ..office.conftest import cheap_password_hashing  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SENDER = "kvkk@kurum.example"


@dataclass(frozen=True)
class Journey:
    app: Flask
    url: str
    smtp: SmtpSink

    def cli(self, *args: str) -> str:
        """Run a `kvkk-tracker` command against the live server's app and database."""
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output


@pytest.fixture
def journey_factory(make_app) -> Iterator:
    """Start the app (with config overrides) behind a threaded werkzeug server on a free
    loopback port, CSRF on, mail to a real SMTP server; the outbox is flushed with
    `kvkk-tracker outbox flush`. Stopped after the test."""
    started = []

    def start(**overrides) -> Journey:
        sink = SmtpSink(free_port())
        sink.start()
        app = make_app(WTF_CSRF_ENABLED=True, MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port,
                       MAIL_DEFAULT_SENDER=SENDER, MAIL_TIMEOUT_SECONDS=5, **overrides)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
        thread.start()
        started.append((server, thread, sink))
        return Journey(app, f"http://127.0.0.1:{server.server_port}", sink)

    yield start
    for server, thread, sink in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        sink.stop()


@pytest.fixture
def journey(journey_factory) -> Journey:
    return journey_factory()


def ensure_axe() -> Path:
    """axe-core comes from the npm registry, pinned in package-lock.json (`npm ci`)."""
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True,
                       timeout=600, capture_output=True)
    return AXE


@pytest.fixture(scope="session")
def axe_script() -> Path:
    return ensure_axe()


@pytest.fixture
def check_accessibility(axe_script):
    """check(page): run axe-core on the page as it is; fail on serious or critical findings."""

    source = axe_script.read_text(encoding="utf-8")

    def check(target: Page) -> None:
        # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self')
        # does not govern; a <script> tag with the file's content would be refused by it.
        target.evaluate(source)
        result = target.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], f"{target.url}:\n{json.dumps(bad, indent=1, ensure_ascii=False)}"

    return check


def fill_applicant(tab: Page, *, email: str | None = None, reply_channel: str = "post") -> None:
    """Fill the applicant's fields (the public form and the office's log form share them):
    a Turkish citizen asking which of her data are processed (right a)."""
    tab.fill("#first_name", "Işıl")
    tab.fill("#last_name", "Çağlayan")
    tab.select_option("#nationality", "TR")
    tab.fill("#tckn", VALID_TCKN)
    tab.select_option("#relationship", "customer")
    tab.fill("#address", "Kızılay Mah. Atatürk Blv. No: 5, Çankaya/Ankara")
    if email:
        tab.fill("#email", email)
    tab.select_option("#reply_channel", reply_channel)
    tab.check("#rights-a")
    tab.fill("#subject", "Hangi kişisel verilerimin işlendiğini öğrenmek istiyorum.")
