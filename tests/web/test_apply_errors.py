"""Bad input on the form: a message at the field, in the user's language, what was typed kept,
and nothing saved."""

from __future__ import annotations

import pytest

from ..builders import INVALID_TCKN, form_data
from ..conftest import count_applications
from .support import HTML_AS_PDF, PDF, PNG, assert_friendly_error, page, stored_files, upload

# Turkish by default; English by ?lang=en or by the browser's Accept-Language.
LANGUAGES = [
    pytest.param("tr", "", {}, id="tr-default"),
    pytest.param("en", "?lang=en", {}, id="en-query"),
    pytest.param("en", "", {"Accept-Language": "en-GB,en;q=0.8"}, id="en-header"),
]

SMALL_FILE_LIMIT = 2048  # 2 KB: the message must not round it down to "0 MB"

# name: (form overrides, or a function making them, field, Turkish message, English message)
CASES = {
    "kimlik-checksum": (
        {"tckn": INVALID_TCKN}, "tckn",
        "Bu T.C. kimlik numarası geçerli değil: rakamları kontrol edin.",
        "This T.C. identity number is not valid: check the digits."),
    "foreigner-without-passport": (
        {"nationality": "DE", "tckn": "", "passport_no": ""}, "passport_no",
        "Pasaport numaranızı ya da varsa yabancı kimlik numaranızı yazın.",
        "Enter your passport number, or your foreign identity number if you have one."),
    "no-right": (
        {"rights": []}, "rights", "En az bir hak seçin.", "Choose at least one right."),
    "unknown-right": (
        {"rights": ["a", "zz"]}, "rights", "Tanınmayan seçim: zz.", "Unknown choice: zz."),
    "oversize-file": (  # with a good file beside it, which must not be kept either
        lambda: {"attachments": [upload(PNG, "ok.png"),
                                 upload(PDF + b"x" * SMALL_FILE_LIMIT, "büyük.pdf")]},
        "attachments", "büyük.pdf 2 KB sınırından büyük.", "büyük.pdf is larger than 2 KB."),
    "disguised-file": (
        lambda: {"attachments": [upload(PNG, "ok.png"), upload(HTML_AS_PDF, "fatura.pdf")]},
        "attachments", "fatura.pdf bir PDF, JPEG veya PNG dosyası değil.",
        "fatura.pdf is not a PDF, JPEG or PNG file."),
    "representative-without-power-of-attorney": (
        {"representative_name": "Av. Deniz Yılmaz"}, "power_of_attorney",
        "Başkası adına başvurmanızı sağlayan vekâletnameyi ekleyin.",
        "Attach the power of attorney that lets you apply for someone else."),
    "email-reply-without-email": (  # regression: Optional() used to skip the check
        {"email": "", "reply_channel": "email"}, "email",
        "Size e-postayla cevap verebilmemiz için e-posta adresinizi yazın.",
        "Enter your e-mail address so that we can reply by e-mail."),
}

TEXT_FIELDS = ("first_name", "last_name", "address", "email", "phone", "subject",
               "representative_name")


def _assert_kept(shown, sent: dict) -> None:
    """The form shows again what the user typed, chose and ticked."""
    for name in TEXT_FIELDS:
        assert shown.value(name) == sent.get(name, ""), name
    identity = "tckn" if sent["nationality"] == "TR" else "passport_no"
    assert shown.value(identity) == sent.get(identity, "")
    for name in ("nationality", "relationship", "reply_channel"):
        assert shown.value(name) == sent[name], name
    known = {"a", "b", "c", "cc", "d", "e", "f", "g", "gg", "other"}
    assert shown.checked_rights() == set(sent["rights"]) & known
    assert "checked" in shown.by_id("declaration").attrs


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(("lang", "query", "headers"), LANGUAGES)
def test_bad_input_is_explained_at_the_field_and_nothing_is_saved(make_app, case, lang, query,
                                                                   headers):
    app = make_app(KVKK_MAX_FILE_BYTES=SMALL_FILE_LIMIT)
    overrides, field, message_tr, message_en = CASES[case]
    sent = form_data(**(overrides() if callable(overrides) else overrides))
    response = app.test_client().post(f"/apply{query}", data=sent, headers=headers)

    assert response.status_code == 400
    shown = page(response)
    assert f'lang="{lang}"' in shown.html
    expected = message_tr if lang == "tr" else message_en
    assert expected in shown.field_errors(field)
    if field == "rights":  # a group of checkboxes, described by its fieldset
        control = shown.by_id("rights-a")
        fieldset = [n for n in shown.find_all("fieldset") if n.get("aria-describedby")]
        assert fieldset and fieldset[0].get("aria-describedby") == "rights-error"
    else:
        control = shown.by_id(field)
        assert f"{field}-error" in control.get("aria-describedby").split()
    assert control.get("aria-invalid") == "true"
    # The summary at the top links to the field.
    assert shown.find_all("a", href=f"#{field}")
    _assert_kept(shown, sent)
    assert count_applications(app) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize(("lang", "query", "headers"), LANGUAGES)
def test_request_larger_than_the_limit_gets_a_clear_413_page(make_app, lang, query, headers):
    app = make_app(MAX_CONTENT_LENGTH=8 * 1024, KVKK_MAX_FILE_BYTES=SMALL_FILE_LIMIT)
    response = app.test_client().post(
        f"/apply{query}", headers=headers,
        data=form_data(attachments=upload(PDF + b"x" * 20_000, "tarama.pdf")))
    title = "Dosyalar çok büyük" if lang == "tr" else "Files too large"
    shown = assert_friendly_error(response, 413, title)
    lead = shown.find_all("p", class_="lead")[0].text()
    if lang == "tr":
        assert "her biri en fazla 2 KB" in lead and "toplamda en fazla 8 KB" in lead
    else:
        assert "at most 2 KB each, 8 KB in all" in lead
    assert count_applications(app) == 0
    assert stored_files(app) == []


def test_413_with_csrf_on_is_the_same_friendly_page(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=4096)
    client = app.test_client()
    client.get("/apply")
    response = client.post("/apply", data=form_data(attachments=upload(PDF * 200, "a.pdf")))
    assert_friendly_error(response, 413, "Dosyalar çok büyük")
    assert count_applications(app) == 0


def test_too_many_files_is_a_field_error(make_app):
    app = make_app(KVKK_MAX_FILES=2)
    response = app.test_client().post("/apply?lang=en", data=form_data(
        attachments=[upload(PDF, f"{i}.pdf") for i in range(3)]))
    assert response.status_code == 400
    assert page(response).field_errors("attachments") == ["Attach at most 2 files."]
    assert stored_files(app) == []


def test_several_errors_at_once_each_stay_at_their_field(app, client):
    response = client.post("/apply?lang=en", data=form_data(
        first_name="", tckn=INVALID_TCKN, rights=[], declaration=None))
    shown = page(response)
    assert response.status_code == 400
    assert shown.field_errors("first_name") == ["Enter your first name."]
    assert shown.field_errors("tckn") == [
        "This T.C. identity number is not valid: check the digits."]
    assert shown.field_errors("rights") == ["Choose at least one right."]
    assert shown.field_errors("declaration") == ["You must confirm the declaration to apply."]
    assert shown.field_errors("last_name") == []
    assert "aria-invalid" not in shown.by_id("last_name").attrs
    assert count_applications(app) == 0
