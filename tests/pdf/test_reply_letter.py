"""The reply letter (cevap yazısı), read back from the PDF: everything KVKK.md §3-§4 asks for."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from kvkk_tracker.pdf import render_letter
from tests.builders import FIXED_NOW

from .conftest import INVENTORY, flat, pdf_text

DECISIONS = {
    "a": ("accepted", None, None),
    "b": ("accepted", None, None),
    "c": ("accepted", None, None),
    "cc": ("accepted", None, None),
    "e": ("partially_accepted", "art28_2_a",
          "Soruşturma kapsamında istenen kayıtlar soruşturma süresince saklanmaktadır."),
    "f": ("accepted", None, None),
}
ACTIONS = [("e", "erased", None), ("f", "recipient_notified", "Yurtiçi Lojistik A.Ş."),
           ("f", "recipient_notified", "Güneş Denetim A.Ş.")]
CONTROLLER = {"KVKK_CONTROLLER_NAME": "Çağdaş Öğretim Hizmetleri A.Ş.",
              "KVKK_CONTROLLER_ADDRESS": "İnönü Cad. No: 7, 34437 Beyoğlu/İstanbul",
              "KVKK_CONTROLLER_KEP": "cagdas@hs02.kep.tr",
              "KVKK_CONTROLLER_PHONE": "+90 212 555 00 00",
              "KVKK_CONTROLLER_EMAIL": "kvkk@cagdas.com.tr",
              "KVKK_CONTROLLER_MERSIS": "0123456789000015",
              "KVKK_CONTROLLER_VERBIS": "VRB-2026-0042"}


@pytest.fixture
def reply(app, case, context_for):
    def build(config=None, **kwargs):
        kwargs.setdefault("decisions", DECISIONS)
        kwargs.setdefault("actions", ACTIONS)
        application = case(**kwargs)
        context = context_for(application, "reply", inventory=INVENTORY,
                              config={**app.config, **CONTROLLER, **(config or {})})
        letter = render_letter("reply", context)
        return letter, pdf_text(letter.pdf)

    return build


def test_every_required_element_is_in_the_pdf(reply):
    letter, pages = reply(last_name="Şimşek", address="Kızılay Mah. Atatürk Blv. No: 5, Ankara",
                          subject="Eski adresimin silinmesini istiyorum.")
    text = flat(" ".join(pages))
    # The controller: name, address, KEP, phone, e-mail, MERSİS and VERBİS numbers.
    for value in CONTROLLER.values():
        assert value in text
    assert "ÇAĞDAŞ ÖĞRETİM HİZMETLERİ A.Ş." in text  # the letterhead, Turkish upper case
    # Date of the letter, reference and application date.
    assert "15.04.2026" in text
    assert "01.04.2026 tarihli ve KVKK-2026-" in text
    # The applicant: name, T.C. number, notification address; the subject.
    assert "Sayın Işıl ŞİMŞEK" in text
    assert "T.C. Kimlik No: 17291716060" in text
    assert "Kızılay Mah. Atatürk Blv. No: 5, Ankara" in text
    assert "Konu : 6698 sayılı Kanun kapsamındaki başvurunuz hk." in text
    assert "Eski adresimin silinmesini istiyorum." in text
    # Each right: its decision, reasons and legal basis.
    for bent in ("a", "b", "c", "ç", "e", "f"):
        assert f"(KVKK m. 11/1-{bent})" in text
    assert text.count("Karar: Kabul edildi") == 5
    assert ("Karar: Kısmen kabul edildi Gerekçe: Suç işlenmesinin önlenmesi veya suç "
            "soruşturması için gerekli işleme (KVKK m. 28/2-a). Soruşturma kapsamında") in text
    # The actions taken, the recipients notified under (f).
    assert "Veriler silindi (10.04.2026)" in text
    assert "Yurtiçi Lojistik A.Ş. 10.04.2026" in text
    assert "Güneş Denetim A.Ş. 10.04.2026" in text
    # The fee statement names the letter's own page count.
    assert f"Bu cevap yazısının sayfa sayısı: {letter.page_count}" in text
    assert "Ödenecek tutar: 0,00 TL – ücret talep edilmemektedir." in text
    # The Art. 14 remedy and the signature block.
    assert "Kişisel Verileri Koruma Kuruluna şikâyette bulunabilirsiniz" in text
    assert "Gülşen Öztürk Kişisel Verileri Koruma Uzmanı" in text


def test_a_foreign_applicant_is_named_by_nationality_and_passport(reply):
    _, pages = reply(nationality="DE", tckn=None, passport_no="C01X00T47")
    text = flat(" ".join(pages))
    assert "Uyruğu: DE · Pasaport No: C01X00T47" in text
    assert "T.C. Kimlik No" not in text


def test_turkish_characters_survive_extraction(reply):
    _, pages = reply(first_name="Gülşen İpek", last_name="Işıkçıoğlu",
                     subject="Ağaç, şeker, ılık, İzmir, çiçek, övgü, üzüm: ğşıİçöü ĞŞIÇÖÜ")
    text = flat(" ".join(pages))
    assert "Ağaç, şeker, ılık, İzmir, çiçek, övgü, üzüm: ğşıİçöü ĞŞIÇÖÜ" in text
    # lang="tr": CSS upper case turns ı into I and i into İ.
    assert "Sayın Gülşen İpek IŞIKÇIOĞLU" in text


def test_every_page_is_numbered_out_of_the_total(reply):
    letter, pages = reply(rights=("a",), decisions={"a": ("accepted", None, None)}, actions=(),
                          subject="\n".join(f"Satır {n}" for n in range(30)))
    assert letter.page_count == 2
    assert "Sayfa 1 / 2" in pages[0] and "Sayfa 2 / 2" not in pages[0]
    assert "Sayfa 2 / 2" in pages[1] and "Sayfa 1 / 2" not in pages[1]


def test_inventory_is_tabulated_under_rights_b_c_and_cc(reply):
    _, pages = reply()
    text = flat(" ".join(pages))
    assert "Kimlik Sözleşmenin kurulması ve ifası KVKK m. 5/2-c Sözleşme sonrası 10 yıl" in text
    assert "İletişim Müşteri ilişkileri yönetimi KVKK m. 5/2-f" in text
    assert "Kargo şirketi (Yurtiçi Lojistik A.Ş.)" in text
    assert "Bulut hizmet sağlayıcısı (İrlanda)" in text


@pytest.mark.parametrize("variant", ["rejected", "identity_pending"])
def test_inventory_is_never_disclosed_without_a_granted_right_and_verified_identity(
        reply, variant):
    if variant == "rejected":
        decisions = {code: ("rejected", "no_data_held", "Kaydınız yok.") for code in DECISIONS}
        _, pages = reply(decisions=decisions, actions=())
    else:
        _, pages = reply(identity="pending")
    text = flat(" ".join(pages))
    assert "Sözleşmenin kurulması ve ifası" not in text
    assert "Bulut hizmet sağlayıcısı" not in text


def test_no_actions_says_so(reply):
    _, pages = reply(rights=("a",), decisions={"a": ("accepted", None, None)}, actions=())
    assert "bildirim işlemi yapılmamıştır" in flat(" ".join(pages))


@pytest.mark.parametrize(("days", "expected"), [
    # Day 14: a timely reply. 30 days from learning of it; 60 days from the application.
    (14, "Bu yazı 15.04.2026 tarihinde size ulaşırsa otuz günlük süre 15.05.2026 tarihinde; "
         "01.04.2026 tarihli başvurunuza göre altmış günlük süre 31.05.2026 tarihinde sona "
         "erer."),
    # Day 30, the statutory due date itself, is still in time.
    (30, "Bu yazı 01.05.2026 tarihinde size ulaşırsa otuz günlük süre 31.05.2026 tarihinde;"),
    # Day 35: a late reply leaves 60 days from the application date (Board decision 2019/9).
    (35, "Cevabımız otuz günlük yasal sürenin ardından verildiğinden, şikâyet süresi "
         "01.04.2026 tarihli başvurunuzdan itibaren altmış gündür ve 31.05.2026 tarihinde "
         "sona erer"),
])
def test_remedy_paragraph_carries_this_cases_dates(app, case, context_for, days, expected):
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = context_for(application, "reply", now=FIXED_NOW + timedelta(days=days))
    text = flat(" ".join(pdf_text(render_letter("reply", context).pdf)))
    assert expected in text


def test_logo_from_settings_is_drawn_in_the_letterhead(app, case, context_for, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), (27, 47, 75)).save(logo)
    application = case(rights=("a",), decisions={"a": ("accepted", None, None)})
    context = context_for(application, "reply",
                          config={**app.config, "KVKK_CONTROLLER_LOGO": str(logo)})
    page = PdfReader(io.BytesIO(render_letter("reply", context).pdf)).pages[0]
    images = [x for x in page["/Resources"]["/XObject"].values()
              if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1


# A colour of their own (#c8102e), so that the page's content stream shows the logo was drawn.
SQUARE_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120">'
               '<circle cx="60" cy="60" r="56" fill="#c8102e"/></svg>')
WIDE_LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="90">'
             '<rect width="300" height="90" fill="#c8102e"/></svg>')


THREE_LINE_SUBJECT = (
    "Hakkımda hangi kişisel verilerin, hangi amaçlarla işlendiğini ve kimlere aktarıldığını "
    "öğrenmek; eski adresimin kayıtlarınızdan silinmesini ve bu silme işleminin verilerimin "
    "aktarıldığı üçüncü kişilere bildirilmesini istiyorum.")


@pytest.mark.parametrize("svg", [SQUARE_LOGO, WIDE_LOGO], ids=["square", "wide"])
def test_a_one_right_reply_with_a_logo_fits_on_one_page(reply, tmp_path, svg):
    # The smallest reply, with every controller detail and a logo: it spilled its signature
    # block onto a second page when the logo stood above the name.
    logo = tmp_path / "logo.svg"
    logo.write_text(svg)
    letter, pages = reply(rights=("a",), decisions={"a": ("accepted", None, None)}, actions=(),
                          config={"KVKK_CONTROLLER_LOGO": str(logo)},
                          address="Kızılay Mah. Atatürk Blv. No: 5 D: 12, 06420 Çankaya/Ankara",
                          phone="0532 123 45 67", subject=THREE_LINE_SUBJECT)
    assert letter.page_count == 1
    assert "Sayfa 1 / 1" in pages[0]
    assert "Gülşen Öztürk Kişisel Verileri Koruma Uzmanı" in flat(pages[0])
    content = PdfReader(io.BytesIO(letter.pdf)).pages[0].get_contents().get_data()
    assert b"0.784314 0.062745 0.180392 rg" in content  # the logo's fill


def test_a_long_inventory_table_repeats_its_header_on_the_next_page(reply, app, case,
                                                                    context_for):
    entries = [{"right": "b", "category": f"Kategori {n}", "purpose": "Sözleşmenin ifası",
                "legal_basis": "KVKK m. 5/2-c", "retention": "10 yıl",
                "recipients_domestic": "", "recipients_abroad": ""} for n in range(90)]
    application = case(rights=("b",), decisions={"b": ("accepted", None, None)})
    context = context_for(application, "reply", inventory=entries,
                          config={**app.config, **CONTROLLER})
    pages = pdf_text(render_letter("reply", context).pdf)
    spanned = [page for page in pages if "Kategori 4" in page or "Kategori 8" in page]
    assert len(pages) >= 2 and len(spanned) >= 2
    assert all("Veri kategorisi" in page for page in spanned)
