"""Nothing is half-saved: when storing fails after the files were written, no row and no file
remain, and the user sees a friendly page, not a traceback."""

from __future__ import annotations

import pytest

from kvkk_tracker.extensions import db

from ..builders import api_payload, form_data
from ..conftest import count_applications
from .support import JPEG, PDF, assert_friendly_error, stored_files, upload


class Boom(RuntimeError):
    pass


def _fail_audit(monkeypatch):
    def record(*_args, **_kwargs):
        raise Boom("audit store down")

    monkeypatch.setattr("kvkk_tracker.services.audit.record", record)


def _fail_commit(monkeypatch):
    def commit():
        db.session.flush()  # the rows and files really were written before the commit fails
        raise Boom("commit failed")

    monkeypatch.setattr(db.session, "commit", commit)


FAILURES = [pytest.param(_fail_audit, id="audit-insert-fails"),
            pytest.param(_fail_commit, id="commit-fails")]


@pytest.mark.parametrize("fail", FAILURES)
def test_form_failure_after_files_were_written_leaves_nothing(make_app, monkeypatch, fail):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    written = []
    from kvkk_tracker.services.attachments import FileStash

    original_put = FileStash.put

    def put(self, data):
        name = original_put(self, data)
        written.append(self.directory / name)
        return name

    monkeypatch.setattr(FileStash, "put", put)
    fail(monkeypatch)
    response = app.test_client().post("/apply", data=form_data(
        attachments=[upload(PDF, "a.pdf"), upload(JPEG, "b.jpg")]))

    shown = assert_friendly_error(response, 500, "Bir şeyler ters gitti")
    assert "Hiçbir şey kaydedilmedi" in shown.html
    assert "Boom" not in shown.html and "audit store down" not in shown.html
    assert len(written) == 2, "the files were on disk before the failure"
    assert not any(path.exists() for path in written)
    assert stored_files(app) == []
    monkeypatch.undo()
    assert count_applications(app) == 0


@pytest.mark.parametrize("fail", FAILURES)
def test_api_failure_leaves_nothing_and_answers_json(make_app, monkeypatch, fail):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    fail(monkeypatch)
    response = app.test_client().post("/api/v1/requests", json=api_payload(),
                                      headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert response.get_json() == {"errors": {"_request": [
        "We could not complete your request. Nothing was saved. Try again later."]}}
    monkeypatch.undo()
    assert count_applications(app) == 0


def test_the_app_still_works_after_a_failed_submission(make_app, monkeypatch):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    _fail_audit(monkeypatch)
    assert client.post("/apply", data=form_data()).status_code == 500
    monkeypatch.undo()
    assert client.post("/apply", data=form_data(
        attachments=upload(PDF, "a.pdf"))).status_code == 303
    assert count_applications(app) == 1
    assert len(stored_files(app)) == 1
