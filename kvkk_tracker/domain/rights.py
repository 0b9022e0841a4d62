"""Catalogues of the Art. 11 rights and the Tebliğ Art. 5(1) application channels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Right:
    code: str
    bent: str  # the sub-paragraph letter as the Law prints it: a, b, c, ç, ...
    tr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr


RIGHTS: tuple[Right, ...] = (
    Right("a", "a", "Kişisel veri işlenip işlenmediğini öğrenme",
          "Learn whether personal data are processed"),
    Right("b", "b", "Kişisel verileri işlenmişse buna ilişkin bilgi talep etme",
          "Request information if personal data have been processed"),
    Right("c", "c",
          "İşlenme amacını ve bunların amacına uygun kullanılıp kullanılmadığını öğrenme",
          "Learn the purpose of processing and whether data are used accordingly"),
    Right("cc", "ç",
          "Yurt içinde veya yurt dışında kişisel verilerin aktarıldığı üçüncü kişileri bilme",
          "Know the third parties, at home or abroad, to whom data are transferred"),
    Right("d", "d",
          "Eksik veya yanlış işlenmiş olması hâlinde bunların düzeltilmesini isteme",
          "Request rectification of incomplete or inaccurate data"),
    Right("e", "e",
          "7 nci maddede öngörülen şartlar çerçevesinde silinmesini veya yok edilmesini isteme",
          "Request erasure or destruction under Article 7"),
    Right("f", "f",
          "(d) ve (e) bentleri uyarınca yapılan işlemlerin, aktarıldığı üçüncü kişilere "
          "bildirilmesini isteme",
          "Request that operations under (d) and (e) be notified to third-party recipients"),
    Right("g", "g",
          "Münhasıran otomatik sistemler vasıtasıyla analiz edilmesi suretiyle aleyhine bir "
          "sonucun ortaya çıkmasına itiraz etme",
          "Object to an adverse result of solely automated analysis"),
    Right("gg", "ğ",
          "Kanuna aykırı işlenmesi sebebiyle zarara uğraması hâlinde zararın giderilmesini "
          "talep etme",
          "Claim compensation for damage from unlawful processing"),
    # Art. 13(1) covers any request about applying the Law, e.g. withdrawing consent.
    Right("other", "", "Kanunun uygulanmasıyla ilgili diğer talepler (ör. açık rızanın geri "
          "alınması)", "Other requests about applying the Law (e.g. withdrawing consent)"),
)

RIGHTS_BY_CODE: dict[str, Right] = {r.code: r for r in RIGHTS}
RIGHT_CODES: tuple[str, ...] = tuple(RIGHTS_BY_CODE)


@dataclass(frozen=True)
class Channel:
    code: str
    tr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr


CHANNELS: tuple[Channel, ...] = (
    Channel("written", "Yazılı (posta, elden teslim, noter)",
            "In writing (post, hand delivery, notary)"),
    Channel("kep", "Kayıtlı elektronik posta (KEP)", "Registered electronic mail (KEP)"),
    Channel("e_signature", "Güvenli elektronik imza", "Secure electronic signature"),
    Channel("mobile_signature", "Mobil imza", "Mobile signature"),
    Channel("registered_email", "Veri sorumlusuna daha önce bildirilen e-posta adresi",
            "E-mail address previously given to the controller"),
    Channel("web", "Bu amaçla geliştirilmiş yazılım (web formu)",
            "Software built for the purpose (this web form)"),
)
CHANNELS_BY_CODE: dict[str, Channel] = {c.code: c for c in CHANNELS}


@dataclass(frozen=True)
class Choice:
    code: str
    tr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr


RELATIONSHIPS: tuple[Choice, ...] = (
    Choice("citizen", "Vatandaş", "Citizen"),
    Choice("customer", "Müşteri", "Customer"),
    Choice("employee", "Çalışan", "Employee"),
    Choice("former_employee", "Eski çalışan", "Former employee"),
    Choice("applicant_job", "İş başvurusu yapan", "Job applicant"),
    Choice("visitor", "Ziyaretçi", "Visitor"),
    Choice("other", "Diğer", "Other"),
)

REPLY_CHANNELS: tuple[Choice, ...] = (
    Choice("email", "E-posta", "E-mail"),
    Choice("post", "Posta (bildirim adresine)", "Post (to the notification address)"),
    Choice("kep", "KEP", "KEP"),
    Choice("in_person", "Elden teslim", "In person"),
)
RELATIONSHIP_CODES = tuple(c.code for c in RELATIONSHIPS)
REPLY_CHANNEL_CODES = tuple(c.code for c in REPLY_CHANNELS)
