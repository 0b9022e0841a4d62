"""The per-case evidence pack: what is in it, that the manifest's hashes hold, who may take it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, AuditEvent
from tests.office.conftest import apply_as, login, make_user, new_application


def download(dataset, key: str) -> tuple[zipfile.ZipFile, str]:
    client = login(dataset.app.test_client(), dataset.users["auditor"])
    number = dataset.tracking[key]
    response = client.get(f"/auditor/cases/{number}/evidence.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert f"{number}-evidence.zip" in response.headers["Content-Disposition"]
    data = response.data
    response.close()  # the spooled file behind the download
    return zipfile.ZipFile(io.BytesIO(data)), number


def test_the_manifest_hashes_every_file_of_the_pack(dataset):
    archive, number = download(dataset, "E")
    names = set(archive.namelist())
    manifest = json.loads(archive.read(f"{number}/manifest.json"))
    listed = {f"{number}/{entry['name']}" for entry in manifest["files"]}
    assert listed | {f"{number}/manifest.json"} == names
    for entry in manifest["files"]:
        data = archive.read(f"{number}/{entry['name']}")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    assert {"timeline.csv", "timeline.pdf", "decisions.json"} <= {
        entry["name"] for entry in manifest["files"]}
    assert any(entry["name"].startswith("acknowledgement/") for entry in manifest["files"])
    # The reply letter exactly as finalised and delivered.
    assert "letters/reply-v1.pdf" in {entry["name"] for entry in manifest["files"]}
    assert not any("letters pending" in note for note in manifest["notes"])
    for entry in manifest["files"]:
        if entry["name"].endswith(".pdf"):
            assert archive.read(f"{number}/{entry['name']}").startswith(b"%PDF-")


def test_the_decision_record_says_who_decided_what_why_and_who_approved(dataset):
    archive, number = download(dataset, "E")
    record = json.loads(archive.read(f"{number}/decisions.json"))
    rights = {r["right"]: r for r in record["rights"]}
    assert rights["a"]["outcome"] == "accepted"
    assert rights["cc"]["outcome"] == "rejected"
    assert rights["cc"]["reason_code"] == "art28_2_a"
    assert rights["cc"]["legal_basis"] == "KVKK m. 28/2-a"
    assert rights["cc"]["decided_by"]["name"] == "Burak Officer"
    assert record["four_eyes_approval"]["approved_by"]["name"] == "Cem Supervisor"
    assert record["identity"]["number"] == "172******60"


def test_the_timeline_csv_opens_in_excel_and_lists_the_events(dataset):
    archive, number = download(dataset, "E")
    raw = archive.read(f"{number}/timeline.csv")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    actions = [row["action"] for row in rows]
    assert actions[0] == "application.received"
    assert "application.right_decided" in actions and "application.replied" in actions


def test_the_download_is_audited_with_the_manifest_hash(dataset):
    archive, number = download(dataset, "B")
    manifest = archive.read(f"{number}/manifest.json")
    with dataset.app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "application.evidence_pack_downloaded")
            .order_by(AuditEvent.id.desc()).limit(1))
        assert event.data["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
        assert event.actor == f"user:{dataset.users['auditor'].id}"
    # The case's timeline says so in words.
    client = login(dataset.app.test_client(), dataset.users["supervisor"])
    assert "Evidence pack downloaded" in client.get(f"/office/cases/{number}").get_data(
        as_text=True)


def test_the_letter_in_the_pack_is_the_stored_one(dataset):
    from kvkk_tracker.models.letter import Letter

    archive, number = download(dataset, "E")
    with dataset.app.app_context():
        stored = db.session.scalar(
            select(Letter.sha256).join(Application, Application.id == Letter.application_id)
            .where(Application.tracking_no == number, Letter.kind == "reply"))
    data = archive.read(f"{number}/letters/reply-v1.pdf")
    assert hashlib.sha256(data).hexdigest() == stored


def test_a_case_without_letters_gets_its_receipt_rendered_and_says_so(app):
    number, _code = new_application(app)
    client = login(app.test_client(), make_user(app, "supervisor"))
    response = client.get(f"/auditor/cases/{number}/evidence.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    manifest = json.loads(archive.read(f"{number}/manifest.json"))
    names = {entry["name"] for entry in manifest["files"]}
    assert "acknowledgement/receipt-rendered.pdf" in names
    assert any("letters pending" in note for note in manifest["notes"])


def test_officers_cannot_take_a_pack_and_unknown_cases_are_404(app):
    number, _code = new_application(app)
    officer = login(app.test_client(), make_user(app, "officer"))
    assert officer.get(f"/auditor/cases/{number}/evidence.zip").status_code == 403
    auditor = login(app.test_client(), make_user(app, "auditor"))
    assert auditor.get("/auditor/cases/KVKK-2026-0000-0000/evidence.zip").status_code == 404


def test_a_formula_in_the_applicants_words_stays_text_in_the_timeline_csv(app):
    from pathlib import Path

    from kvkk_tracker.models import Application
    from kvkk_tracker.services.actors import public_actor
    from kvkk_tracker.services.applicant import answer
    from kvkk_tracker.services.attachments import FileStash

    officer = make_user(app, "officer")
    number, _code = new_application(app, assignee=officer)
    apply_as(app, officer, number, "change_status", target="in_review")
    apply_as(app, officer, number, "change_status", target="awaiting_applicant")
    with app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.tracking_no == number))
        answer(db.session, public_actor("127.0.0.1"), application.received_at, application,
               '=HYPERLINK("http://evil.example","tıkla")', [],
               FileStash(Path(app.config["KVKK_UPLOAD_DIR"])))
        db.session.commit()
    client = login(app.test_client(), make_user(app, "auditor"))
    response = client.get(f"/auditor/cases/{number}/evidence.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    rows = list(csv.DictReader(io.StringIO(
        archive.read(f"{number}/timeline.csv").decode("utf-8-sig"))))
    texts = [row["text"] for row in rows if row["text"]]
    assert texts == ['\'=HYPERLINK("http://evil.example","tıkla")']


def test_a_corrected_letter_travels_with_the_version_it_replaced(app):
    from flask import current_app

    from kvkk_tracker.models import Application, User
    from kvkk_tracker.services import letters

    officer = make_user(app, "officer")
    number, _code = new_application(app, assignee=officer)
    apply_as(app, officer, number, "change_status", target="in_review")
    with app.app_context():
        application = db.session.scalar(
            select(Application).where(Application.tracking_no == number))
        staff = db.session.get(User, officer.id)
        now = application.received_at
        letters.finalise(db.session, staff, now, application, "info_request",
                         config=current_app.config, details="Kimliğinizin bir kopyası")
        letters.finalise(db.session, staff, now, application, "info_request",
                         config=current_app.config, details="Kimlik ve adres belgesi",
                         reason="Adres belgesi de gerekli")
        db.session.commit()
    client = login(app.test_client(), make_user(app, "auditor"))
    response = client.get(f"/auditor/cases/{number}/evidence.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    names = {e["name"] for e in json.loads(archive.read(f"{number}/manifest.json"))["files"]}
    assert {"letters/info_request-v2.pdf", "letters/superseded/info_request-v1.pdf"} <= names


def test_an_anonymised_case_still_gives_its_pack(app):
    from datetime import UTC, datetime
    from pathlib import Path

    from kvkk_tracker.models import Application
    from kvkk_tracker.services import retention
    from kvkk_tracker.services.actors import system_actor

    officer = make_user(app, "officer")
    number, _code = new_application(app, received_days_ago=2000, assignee=officer)
    apply_as(app, officer, number, "change_status", target="withdrawn")
    with app.app_context():
        actor, now = system_actor("retention"), datetime.now(UTC)
        run = retention.start_run(db.session, actor, now,
                                  retention.RetentionSettings.from_config(app.config))
        retention.anonymise(db.session, run, actor, now, db.session.scalar(
            select(Application).where(Application.tracking_no == number)),
            Path(app.config["KVKK_UPLOAD_DIR"]))
        retention.finish_run(run, now)
        db.session.commit()
    client = login(app.test_client(), make_user(app, "auditor"))
    response = client.get(f"/auditor/cases/{number}/evidence.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    record = json.loads(archive.read(f"{number}/decisions.json"))
    assert record["status"] == "withdrawn" and record["identity"]["number"] == "*****"


def test_writers_are_not_held_back_while_a_pack_is_built(dataset, monkeypatch):
    """Building a pack renders PDFs; on SQLite it must not hold the write lock meanwhile."""
    import sqlite3

    from sqlalchemy.engine import make_url

    from kvkk_tracker.web.auditor import evidence
    from tests import databases

    if databases.backend() != "sqlite":
        return  # PostgreSQL has row locks: nothing to hold back
    path = make_url(dataset.app.config["SQLALCHEMY_DATABASE_URI"]).database
    build, seen = evidence.pack_files, {}

    def build_beside_a_writer(application):
        files = build(application)
        # What a submission does first; "database is locked" after 0.5 s if the pack held it.
        writer = sqlite3.connect(path, timeout=0.5, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("ROLLBACK")
            seen["took the lock"] = True
        finally:
            writer.close()
        return files

    monkeypatch.setattr(evidence, "pack_files", build_beside_a_writer)
    _archive, _number = download(dataset, "E")
    assert seen.get("took the lock")
    with dataset.app.app_context():
        last = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last.action == "application.evidence_pack_downloaded"
