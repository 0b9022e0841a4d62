"""Hostile or odd requests that once ended in a 500, or stored something they should not."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from kvkk_tracker.extensions import db
from kvkk_tracker.models import Application, Attachment

from ..builders import form_data
from ..conftest import count_applications
from .support import PDF, page, stored_files, upload


@pytest.fixture
def app(make_app):
    # A real 500 page instead of the exception, as a visitor would get it.
    return make_app(PROPAGATE_EXCEPTIONS=False)


@pytest.mark.parametrize("field", ["first_name", "tckn", "address", "email", "subject",
                                   "declaration", "nationality", "rights"])
def test_a_file_sent_in_a_text_field_is_a_field_error_not_a_500(app, client, field):
    data = form_data()
    data[field] = upload(b"not text", "x.txt")
    response = client.post("/apply?lang=en", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert page(response).field_errors(field)
    assert count_applications(app) == 0
    assert stored_files(app) == []


def test_a_file_sent_as_the_tracking_number_is_a_400_not_a_500(client):
    response = client.post("/status", content_type="multipart/form-data", data={
        "tracking_no": upload(b"x", "x.txt"), "access_code": upload(b"y", "y.txt")})
    assert response.status_code == 400
    assert page(response).field_errors("tracking_no") == ["Takip numaranızı yazın."]


@pytest.mark.parametrize("body", [[1, 2], "abc", 5, None, {"first_name": {"a": 1}},
                                  {"tckn": [1]}, {"rights": "a", "declaration": True}])
def test_json_posted_to_the_form_is_not_read_as_form_data(app, client, body):
    response = client.post("/apply", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert page(response).field_errors("first_name") == ["Adınızı yazın."]
    assert count_applications(app) == 0
    status = client.post("/status", data=json.dumps(body), content_type="application/json")
    assert status.status_code == 400


def test_reply_by_email_needs_an_email_address(app, client):
    response = client.post("/apply", data=form_data(email="   ", reply_channel="email"))
    assert response.status_code == 400
    assert page(response).field_errors("email") == [
        "Size e-postayla cevap verebilmemiz için e-posta adresinizi yazın."]
    assert count_applications(app) == 0
    # Another reply channel does not need one.
    assert client.post("/apply", data=form_data(email="", reply_channel="post")
                       ).status_code == 303


def test_control_and_direction_characters_are_removed_from_stored_file_names(app, client):
    nasty = "../../uploads/fatura\u202efdp.exe\x00\x01.pdf"
    response = client.post("/apply", data=form_data(attachments=upload(PDF, nasty)))
    assert response.status_code == 303
    with app.app_context():
        names = db.session.scalars(select(Attachment.original_name)).all()
    assert names == ["faturafdp.exe.pdf"]


def test_a_disguised_file_error_shows_a_clean_name(client):
    response = client.post("/apply?lang=en", data=form_data(
        attachments=upload(b"<html>", "evil\u202egnp.\x00pdf")))
    assert page(response).field_errors("attachments") == [
        "evilgnp.pdf is not a PDF, JPEG or PNG file."]


def test_names_that_grow_when_folded_still_fit_the_search_column(app, client):
    # U+0958 is one character that Unicode normalisation (NFC) splits in two, so the folded
    # search key was longer than its column: PostgreSQL refused the row with a 500.
    letter = "\u0958"
    response = client.post("/apply", data=form_data(first_name=letter * 100,
                                                    last_name=letter * 100))
    assert response.status_code == 303
    with app.app_context():
        folded = db.session.scalars(select(Application.name_folded)).one()
    assert len(folded) <= 201
