"""The Art. 11 rights and Tebliğ Art. 5(1) channel catalogues, checked against KVKK.md §1–§2."""

from __future__ import annotations

import pytest

from kvkk_tracker.domain.rights import (
    CHANNELS,
    CHANNELS_BY_CODE,
    RELATIONSHIPS,
    REPLY_CHANNELS,
    RIGHT_CODES,
    RIGHTS,
    RIGHTS_BY_CODE,
)

# Copied by hand from the KVKK.md §1 table: code, bent, the Turkish wording of the Law, and the
# key terms of the English summary (the app's English labels are fuller sentences).
KVKK_MD_RIGHTS = [
    ("a", "a", "Kişisel veri işlenip işlenmediğini öğrenme",
     ["learn", "whether personal data are processed"]),
    ("b", "b", "Kişisel verileri işlenmişse buna ilişkin bilgi talep etme",
     ["request information", "processed"]),
    ("c", "c", "İşlenme amacını ve bunların amacına uygun kullanılıp kullanılmadığını öğrenme",
     ["learn the purpose", "whether data are used accordingly"]),
    ("cc", "ç", "Yurt içinde veya yurt dışında kişisel verilerin aktarıldığı üçüncü kişileri bilme",
     ["know the third parties, at home or abroad, to whom data are transferred"]),
    ("d", "d", "Eksik veya yanlış işlenmiş olması hâlinde bunların düzeltilmesini isteme",
     ["rectification of incomplete or inaccurate data"]),
    ("e", "e",
     "7 nci maddede öngörülen şartlar çerçevesinde silinmesini veya yok edilmesini isteme",
     ["erasure or destruction under art", "7"]),
    ("f", "f", "(d) ve (e) bentleri uyarınca yapılan işlemlerin, aktarıldığı üçüncü kişilere "
     "bildirilmesini isteme",
     ["(d)", "(e)", "notif", "third-party recipients"]),
    ("g", "g", "Münhasıran otomatik sistemler vasıtasıyla analiz edilmesi suretiyle aleyhine bir "
     "sonucun ortaya çıkmasına itiraz etme",
     ["object to an adverse result of solely automated analysis"]),
    ("gg", "ğ", "Kanuna aykırı işlenmesi sebebiyle zarara uğraması hâlinde zararın giderilmesini "
     "talep etme",
     ["compensation for damage from unlawful processing"]),
]


def test_codes_are_the_nine_rights_in_the_laws_order_then_other():
    assert RIGHT_CODES == ("a", "b", "c", "cc", "d", "e", "f", "g", "gg", "other")
    assert [r.code for r in RIGHTS] == list(RIGHT_CODES)
    assert set(RIGHTS_BY_CODE) == set(RIGHT_CODES)
    assert all(RIGHTS_BY_CODE[r.code] is r for r in RIGHTS)


def test_bents_are_the_letters_the_law_prints():
    assert [r.bent for r in RIGHTS[:9]] == ["a", "b", "c", "ç", "d", "e", "f", "g", "ğ"]


@pytest.mark.parametrize(("code", "bent", "turkish", "english_terms"), KVKK_MD_RIGHTS)
def test_right_matches_kvkk_md(code, bent, turkish, english_terms):
    right = RIGHTS_BY_CODE[code]
    assert right.bent == bent
    assert right.tr == turkish
    assert right.label("tr") == turkish
    english = right.label("en").lower()
    for term in english_terms:
        assert term in english, (code, term, english)


def test_other_covers_art_13_requests_such_as_withdrawing_consent():
    other = RIGHTS_BY_CODE["other"]
    assert other.bent == ""
    assert "açık rıza" in other.tr
    assert "consent" in other.en


@pytest.mark.parametrize("lang", ["tr", "de", "", "en_US"])
def test_label_falls_back_to_turkish_for_anything_but_en(lang):
    assert RIGHTS_BY_CODE["a"].label(lang) == RIGHTS_BY_CODE["a"].tr


def test_labels_are_distinct_in_both_languages():
    assert len({r.tr for r in RIGHTS}) == len(RIGHTS)
    assert len({r.en for r in RIGHTS}) == len(RIGHTS)


def test_channels_are_the_six_of_teblig_art_5_1():
    assert [c.code for c in CHANNELS] == [
        "written", "kep", "e_signature", "mobile_signature", "registered_email", "web",
    ]
    assert set(CHANNELS_BY_CODE) == {c.code for c in CHANNELS}


@pytest.mark.parametrize(
    ("code", "tr_term", "en_term"),
    [
        ("written", "noter", "notary"),
        ("written", "posta", "post"),
        ("kep", "KEP", "KEP"),
        ("e_signature", "elektronik imza", "electronic signature"),
        ("mobile_signature", "Mobil imza", "Mobile signature"),
        ("registered_email", "daha önce bildirilen", "previously given"),
        ("web", "yazılım", "Software"),
    ],
)
def test_channel_labels(code, tr_term, en_term):
    channel = CHANNELS_BY_CODE[code]
    assert tr_term in channel.label("tr")
    assert en_term in channel.label("en")


def test_relationships_and_reply_channels_cover_kvkk_md_section_2():
    relationships = {c.code for c in RELATIONSHIPS}
    expected = {"citizen", "customer", "employee", "former_employee", "visitor", "other"}
    assert expected <= relationships
    assert [c.code for c in REPLY_CHANNELS] == ["email", "post", "kep", "in_person"]
    for choice in (*RELATIONSHIPS, *REPLY_CHANNELS):
        assert choice.label("tr") and choice.label("en")
