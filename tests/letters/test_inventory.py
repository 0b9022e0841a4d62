"""The processing inventory: admin pages, validation, history, and its use on a case."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import AuditEvent, CaseInventoryItem, InventoryEntry
from tests.office.conftest import audit_actions, load, login, make_user, new_application, text

from .builders import decide, finalise, inventory_entry, stored
from .pdftext import pdf_text

VALID = {"category": "İletişim", "purpose": "Başvurulara cevap verilmesi",
         "legal_basis": "5_2_cc", "retention": "10 yıl",
         "recipients_domestic": "Kişisel Verileri Koruma Kurumu", "recipients_abroad": ""}


@pytest.fixture
def admin_client(app):
    admin = make_user(app, "admin")
    return admin, login(app.test_client(), admin)


def entries(app) -> list[InventoryEntry]:
    with app.app_context():
        rows = db.session.scalars(select(InventoryEntry).order_by(InventoryEntry.id)).all()
        db.session.expunge_all()
        return rows


def test_empty_state_then_create(app, admin_client):
    _admin, client = admin_client
    page = text(client.get("/office/admin/inventory"))
    assert 'data-testid="inventory-empty"' in page
    response = client.post("/office/admin/inventory/new", data=VALID)
    assert response.status_code == 303
    [entry] = entries(app)
    assert (entry.category, entry.legal_basis, entry.recipients_abroad) == (
        "İletişim", "5_2_cc", None)
    page = text(client.get("/office/admin/inventory"))
    assert "İletişim" in page and "KVKK Art. 5/2-ç" not in page  # labels in the UI language
    assert "inventory.entry_created" in audit_actions(app)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("category", "", "Name the data category"),
    ("purpose", "   ", "Say why these data are processed"),
    ("legal_basis", "5_9_z", "Choose one of the listed options"),
    ("legal_basis", "", "Choose the legal basis"),
    ("retention", "x" * 301, "Use at most 300 characters"),
    ("recipients_abroad", "a\x00b", ""),
])
def test_bad_input_gets_a_field_message_and_saves_nothing(app, admin_client, field, value,
                                                          message):
    _admin, client = admin_client
    response = client.post("/office/admin/inventory/new", data={**VALID, field: value})
    assert response.status_code == 400
    page = text(response)
    assert f'id="{field}-error"' in page and message in page
    assert VALID["purpose"] in page or field == "purpose"  # what was typed stays
    assert entries(app) == []


def test_messages_in_turkish(app, admin_client):
    _admin, client = admin_client
    client.set_cookie("lang", "tr")
    page = text(client.post("/office/admin/inventory/new", data={**VALID, "category": ""}))
    assert "Veri kategorisini yazın" in page
    assert "Name the data category" not in page


def test_hostile_text_is_stored_and_shown_as_text(app, admin_client):
    _admin, client = admin_client
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert client.post("/office/admin/inventory/new",
                       data={**VALID, "category": hostile[:200]}).status_code == 303
    page = text(client.get("/office/admin/inventory"))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert client.post("/office/admin/inventory/new", data={"category": ["a", "b"]}
                       ).status_code == 400
    assert client.post("/office/admin/inventory/new", json=VALID).status_code == 400


def test_edit_keeps_history_and_retire_never_deletes(app, admin_client):
    admin, client = admin_client
    entry_id = inventory_entry(app, admin)
    form = text(client.get(f"/office/admin/inventory/{entry_id}/edit"))
    assert 'value="Kimlik"' in form
    response = client.post(f"/office/admin/inventory/{entry_id}/edit",
                           data={**VALID, "category": "Kimlik ve iletişim", "version": 1})
    assert response.status_code == 303
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "inventory.entry_changed"))
        assert event.data["changes"]["category"] == {"from": "Kimlik",
                                                     "to": "Kimlik ve iletişim"}
    # A stale form (version 1 again) is refused and nothing changes.
    stale = client.post(f"/office/admin/inventory/{entry_id}/edit",
                        data={**VALID, "category": "Eski", "version": 1})
    assert stale.status_code == 409 and entries(app)[0].category == "Kimlik ve iletişim"
    assert client.post(f"/office/admin/inventory/{entry_id}/retire").status_code == 400
    assert entries(app)[0].retired_at is None
    assert client.post(f"/office/admin/inventory/{entry_id}/retire",
                       data={"confirm": "y"}).status_code == 303
    [entry] = entries(app)
    assert entry.retired_at is not None  # kept, not deleted
    assert "Kimlik ve iletişim" not in text(client.get("/office/admin/inventory"))
    assert "Kimlik ve iletişim" in text(client.get("/office/admin/inventory?retired=1"))
    assert client.post(f"/office/admin/inventory/{entry_id}/edit",
                       data={**VALID, "version": entry.version}).status_code == 400
    assert client.get("/office/admin/inventory/999999/edit").status_code == 404


def test_pagination(app, admin_client):
    admin, client = admin_client
    for i in range(27):
        inventory_entry(app, admin, category=f"Kategori {i:02d}")
    first = text(client.get("/office/admin/inventory"))
    assert "Kategori 00" in first and "Kategori 26" not in first and 'rel="next"' in first
    second = text(client.get("/office/admin/inventory?page=2"))
    assert "Kategori 26" in second and 'rel="prev"' in second
    for hostile in ("abc", "-1", "0", "99999999999999999999"):
        assert client.get(f"/office/admin/inventory?page={hostile}").status_code == 200
    assert "nothing on this page" in text(client.get("/office/admin/inventory?page=9"))


def test_officer_picks_entries_and_the_reply_tabulates_them(app):
    admin = make_user(app, "admin")
    officer = make_user(app, "officer")
    kept = inventory_entry(app, admin, category="Müşteri işlem", purpose="Faturalandırma",
                           recipients_abroad="Bulut hizmet sağlayıcı (İrlanda), m. 9 SCC")
    later_retired = inventory_entry(app, admin, category="Pazarlama", legal_basis="5_1")
    no, _code = new_application(app, rights=("b", "cc"), assignee=officer)
    client = login(app.test_client(), officer)
    page = text(client.get(f"/office/cases/{no}"))
    assert 'data-testid="inventory-b"' in page and 'data-testid="inventory-cc"' in page
    assert 'data-testid="inventory-c"' not in page  # (c) was not requested
    for right in ("b", "cc"):
        response = client.post(f"/office/cases/{no}/inventory", data={
            "inventory-right": right, "inventory-entries": [str(kept), str(later_retired)]})
        assert response.status_code == 303
    # A right not requested, or an id that is no entry, is refused with nothing saved.
    assert client.post(f"/office/cases/{no}/inventory", data={
        "inventory-right": "c", "inventory-entries": [str(kept)]}).status_code == 400
    assert client.post(f"/office/cases/{no}/inventory", data={
        "inventory-right": "b", "inventory-entries": ["999"]}).status_code == 400
    assert audit_actions(app, no).count("application.inventory_selected") == 2

    admin_client = login(app.test_client(), admin)
    assert admin_client.post(f"/office/admin/inventory/{later_retired}/retire",
                             data={"confirm": "y"}).status_code == 303
    # The retired entry stays on the case that cites it.
    with app.app_context():
        assert db.session.query(CaseInventoryItem).count() == 4

    decide(app, officer, no)
    letter = stored(app, finalise(app, officer, no))
    body = pdf_text(letter.pdf)
    assert "Müşteri işlem" in body and "Faturalandırma" in body and "İrlanda" in body
    assert [row[0] for row in letter.params["inventory"]].count("b") == 2
    assert load(app, no).status == "decided"
