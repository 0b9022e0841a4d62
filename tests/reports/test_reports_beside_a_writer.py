"""The reports page counts its figures without the SQLite write lock.

Every SQLite transaction of the app begins IMMEDIATE, and the reports page used to count a
year of figures (and render its PDF) inside the one that loaded the signed-in user: an
officer saving a case meanwhile waited, and past the busy timeout failed. Now, while the
figures are being counted, another connection takes the write lock and writes, and the
figures are read and the page (or its PDF) rendered beside that open write.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url

import kvkk_tracker.reports.figures as figures_module
import kvkk_tracker.web.auditor.reports as reports_view
from tests import databases
from tests.office.conftest import login, text

from .conftest import NOW

pytestmark = pytest.mark.skipif(databases.backend() != "sqlite",
                                reason="the write lock is SQLite's; PostgreSQL has row locks")


@pytest.mark.parametrize("url", ["/auditor/reports?period=year&year=2025",
                                 "/auditor/reports.pdf?period=year&year=2025"])
def test_an_officer_writes_while_the_figures_are_counted(dataset, monkeypatch, url):
    monkeypatch.setattr(reports_view, "utcnow", lambda: NOW)
    client = login(dataset.app.test_client(), dataset.users["auditor"])
    path = make_url(dataset.app.config["SQLALCHEMY_DATABASE_URI"]).database
    counted = figures_module.period_report
    seen = {}

    writer = sqlite3.connect(path, timeout=0.5, isolation_level=None)

    def beside_a_writer(session, period, now):
        # Another connection, as an office worker's is: a short busy timeout instead of the
        # app's 30 s, so a lock held by the page fails the test at once.
        writer.execute("BEGIN IMMEDIATE")
        seen["updated"] = writer.execute(
            "UPDATE users SET name = name || ' (edited)' WHERE role = 'officer'").rowcount
        # The write stays open while the figures are read and the page is rendered.
        report = counted(session, period, now)
        seen["received"] = report.report.total.received
        return report

    monkeypatch.setattr(figures_module, "period_report", beside_a_writer)
    try:
        response = client.get(url)
        assert writer.in_transaction  # still open: the page never waited for it
    finally:
        if writer.in_transaction:
            writer.execute("ROLLBACK")  # the module's dataset stays as it was
        writer.close()
    assert response.status_code == 200, text(response)[:2000]
    assert seen["updated"] >= 1
    assert seen["received"] > 0
