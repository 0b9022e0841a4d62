"""The processing inventory's legal vocabulary: the legal bases of KVKK Art. 5 and 6.

Codes are stored; the Turkish citation is what a reply letter prints. Art. 6 follows the text as
amended by Law No. 7499 (2024), whose paragraph 3 lists the conditions for special categories.
"""

from __future__ import annotations

from dataclasses import dataclass

# The rights whose reply tabulates inventory entries: (b) information, (c) purpose, (ç) recipients.
INVENTORY_RIGHTS = ("b", "c", "cc")


@dataclass(frozen=True)
class LegalBasis:
    code: str
    article: str
    tr: str
    en: str

    def label(self, lang: str = "tr") -> str:
        return f"KVKK m. {self.article}: {self.tr if lang == 'tr' else self.en}"


LEGAL_BASES: tuple[LegalBasis, ...] = (
    LegalBasis("5_1", "5/1", "Açık rıza", "Explicit consent"),
    LegalBasis("5_2_a", "5/2-a", "Kanunlarda açıkça öngörülmesi", "Expressly provided by law"),
    LegalBasis("5_2_b", "5/2-b", "Fiili imkânsızlık nedeniyle hayatın veya beden bütünlüğünün "
               "korunması", "Protecting life or bodily integrity where consent is impossible"),
    LegalBasis("5_2_c", "5/2-c", "Sözleşmenin kurulması veya ifası",
               "Conclusion or performance of a contract"),
    LegalBasis("5_2_cc", "5/2-ç", "Hukuki yükümlülüğün yerine getirilmesi",
               "Compliance with a legal obligation"),
    LegalBasis("5_2_d", "5/2-d", "İlgili kişinin kendisi tarafından alenileştirilmiş olması",
               "Made public by the data subject"),
    LegalBasis("5_2_e", "5/2-e", "Bir hakkın tesisi, kullanılması veya korunması",
               "Establishing, exercising or protecting a right"),
    LegalBasis("5_2_f", "5/2-f", "Veri sorumlusunun meşru menfaati",
               "The controller's legitimate interest"),
    LegalBasis("6_3_a", "6/3-a", "Özel nitelikli veride açık rıza",
               "Special category: explicit consent"),
    LegalBasis("6_3_b", "6/3-b", "Özel nitelikli veride kanunlarda açıkça öngörülmesi",
               "Special category: expressly provided by law"),
    LegalBasis("6_3_d", "6/3-d", "Özel nitelikli veride ilgili kişinin alenileştirmesi",
               "Special category: made public by the data subject"),
    LegalBasis("6_3_e", "6/3-e", "Özel nitelikli veride bir hakkın tesisi, kullanılması veya "
               "korunması", "Special category: establishing, exercising or protecting a right"),
    LegalBasis("6_3_f", "6/3-f", "Sağlık verisinde sır saklama yükümlülüğü altındaki kişilerce "
               "işleme", "Health data processed by persons under a duty of confidentiality"),
    LegalBasis("6_3_g", "6/3-g", "İstihdam, iş sağlığı ve güvenliği, sosyal güvenlik "
               "yükümlülükleri", "Employment, occupational safety and social security duties"),
)
LEGAL_BASES_BY_CODE = {basis.code: basis for basis in LEGAL_BASES}
LEGAL_BASIS_CODES = tuple(LEGAL_BASES_BY_CODE)
