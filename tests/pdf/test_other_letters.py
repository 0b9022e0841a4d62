"""The receipt, the request for information and the identity rejection, read back from the PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kvkk_tracker.pdf import LetterError, letter_context, render_letter
from tests.builders import FIXED_NOW

from .conftest import INVENTORY, flat, pdf_text


def text_of(kind, context) -> str:
    return flat(" ".join(pdf_text(render_letter(kind, context).pdf)))


def test_receipt_carries_tracking_number_applicant_time_rights_and_deadline(
        case, context_for):
    application = case(rights=("a", "cc", "gg"), identity="pending")
    text = text_of("receipt", context_for(application, "receipt", now=FIXED_NOW))
    assert f"Takip numarası {application.tracking_no}" in text
    # Only the reply carries the full number (Tebliğ Art. 6(4)); the receipt needs no more.
    assert "Başvuru sahibi Işıl ÇAĞLAYAN T.C. Kimlik No: 172******60" in text
    assert "17291716060" not in text
    # FIXED_NOW is 07:00 UTC: 10:00 in Istanbul.
    assert "Alınma tarihi ve saati 01.04.2026 10:00 (Türkiye saati)" in text
    assert "(a) Kişisel veri işlenip işlenmediğini öğrenme" in text
    assert "(ç) Yurt içinde veya yurt dışında kişisel verilerin aktarıldığı" in text
    assert "(ğ) Kanuna aykırı işlenmesi sebebiyle zarara" in text
    assert "(b) " not in text
    # 01.05.2026 is Labour Day, a Friday holiday: the outer limit rolls to Monday.
    assert "Yasal son gün (KVKK m. 13/2) 01.05.2026" in text
    assert "dış sınır: 04.05.2026" in text
    assert "Sayfa 1 / 1" in text


def test_receipt_uses_the_istanbul_calendar_day(case, context_for):
    # 22:30 UTC on 15 April is 01:30 on 16 April in Istanbul: day 0 is the 16th.
    received = datetime(2026, 4, 15, 22, 30, tzinfo=UTC)
    application = case(received_at=received, now=received, identity="pending")
    text = text_of("receipt", context_for(application, "receipt", now=received))
    assert "Alınma tarihi ve saati 16.04.2026 01:30 (Türkiye saati)" in text
    assert "Yasal son gün (KVKK m. 13/2) 16.05.2026" in text


def test_information_request_says_the_deadline_does_not_stop(case, context_for):
    application = case(rights=("a",), identity="pending")
    context = context_for(application, "info_request",
                          extra={"request": "Vekâletnamenin onaylı bir örneği."})
    text = text_of("info_request", context)
    assert "EK BİLGİ VE BELGE TALEBİ" in text
    assert "Vekâletnamenin onaylı bir örneği." in text
    assert "otuz günlük süreyi durdurmaz ve uzatmaz" in text
    assert "en geç 01.05.2026 tarihine kadar sonuçlandırılacaktır" in text


def test_identity_rejection_gives_the_reason_the_law_and_the_remedy(case, context_for):
    application = case(rights=("a", "b"), identity="failed")
    context = context_for(application, "identity_rejection",
                          extra={"justification": "Doğrulama kodu süresinde girilmedi."},
                          now=FIXED_NOW + timedelta(days=30))
    text = text_of("identity_rejection", context)
    assert ("Kanunun 11 inci maddesinin birinci fıkrasının (a) ve (b) bentleri kapsamındaki "
            "talepleriniz dâhil olmak üzere başvurunuz reddedilmiştir.") in text
    assert "Başvuru sahibinin kimliği doğrulanamadı (Tebliğ m. 5; KVKK m. 13)" in text
    assert "Doğrulama kodu süresinde girilmedi." in text
    assert "Kişisel Verileri Koruma Kuruluna şikâyette bulunabilirsiniz" in text
    assert "otuz günlük süre 31.05.2026 tarihinde" in text
    assert "Gülşen Öztürk" in text


def _leaves(value):
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_context_is_plain_data(app, session, case, officer):
    application = case(decisions={"a": ("accepted", None, None)},
                       actions=[("f", "recipient_notified", "Kargo A.Ş.")], rights=("a", "f"))
    for kind in ("receipt", "reply", "info_request", "identity_rejection"):
        context = letter_context(session, application, kind, now=FIXED_NOW, officer=officer,
                                 config=app.config, inventory=INVENTORY)
        leaves = list(_leaves(context))
        assert all(isinstance(v, str | int | bool | Decimal | type(None)) for v in leaves), kind
        assert not any(isinstance(v, date) for v in leaves)  # dates come formatted


def test_the_assignee_signs_when_no_officer_is_given(app, session, case):
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = letter_context(session, application, "reply", now=FIXED_NOW, config=app.config)
    assert context["officer"] == {"name": "Gülşen Öztürk",
                                  "title": "Kişisel Verileri Koruma Uzmanı"}


@pytest.mark.parametrize("setting", [{"KVKK_FEE_PER_PAGE": "2"}, {"KVKK_FEE_PER_PAGE": "bir"},
                                     {"KVKK_FEE_FREE_PAGES": 5}])
def test_a_fee_setting_outside_the_teblig_is_named(app, session, case, setting):
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    with pytest.raises(LetterError, match="KVKK_FEE_PER_PAGE"):
        letter_context(session, application, "reply", now=FIXED_NOW,
                       config={**app.config, **setting})


def test_a_fee_per_page_may_be_written_with_a_decimal_comma(app, session, case):
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = letter_context(session, application, "reply", now=FIXED_NOW,
                             config={**app.config, "KVKK_FEE_PER_PAGE": "0,50"})
    assert context["fee_policy"]["per_page"] == "0.50"


def test_letters_before_a_verified_identity_mask_the_number(case, context_for):
    application = case(rights=("a",), identity="pending", nationality="DE", tckn=None,
                       passport_no="C01X00T47")
    for kind in ("info_request", "identity_rejection"):
        text = text_of(kind, context_for(application, kind, extra={"request": "Belge"}))
        assert "Uyruğu: DE · Pasaport No: C01****47" in text
        assert "C01X00T47" not in text


@pytest.mark.parametrize(("rights", "phrase"), [
    (("cc",), "fıkrasının (ç) bendi kapsamındaki talepleriniz dâhil"),
    (("gg", "other"), "fıkrasının (ğ) bendi kapsamındaki talepleriniz ile Kanunun uygulanmasıyla "
                      "ilgili diğer talepleriniz dâhil"),
    (("other",), "Kanunun uygulanmasıyla ilgili talepleriniz dâhil"),
])
def test_identity_rejection_names_the_rights_requested(case, context_for, rights, phrase):
    application = case(rights=rights, identity="failed")
    assert phrase in text_of("identity_rejection", context_for(application, "identity_rejection"))
