"""Decisions per requested right, and the library of reasons that cite the law."""

from __future__ import annotations

from dataclasses import dataclass

OUTCOMES = ("accepted", "partially_accepted", "rejected")
ACTIONS = ("rectified", "erased", "anonymised", "recipient_notified")


@dataclass(frozen=True)
class ReasonCode:
    code: str
    citation: str
    tr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr


REASON_CODES: tuple[ReasonCode, ...] = (
    ReasonCode("art28_1", "KVKK m. 28/1",
               "Kanun kapsamı dışında kalan işleme (m. 28/1: ulusal savunma, yargı vb.)",
               "Processing outside the Law's scope (Art. 28(1): national security, judicial...)"),
    ReasonCode("art28_2_a", "KVKK m. 28/2-a",
               "Suç işlenmesinin önlenmesi veya suç soruşturması için gerekli işleme",
               "Necessary to prevent or investigate crime"),
    ReasonCode("art28_2_b", "KVKK m. 28/2-b",
               "İlgili kişinin kendisi tarafından alenileştirilmiş verilerin işlenmesi",
               "Data made public by the data subject"),
    ReasonCode("art28_2_c", "KVKK m. 28/2-c",
               "Kamu kurumlarının denetleme, düzenleme veya disiplin görevleri için gerekli işleme",
               "Supervisory, regulatory or disciplinary duties of public bodies"),
    ReasonCode("art28_2_cc", "KVKK m. 28/2-ç",
               "Devletin ekonomik ve mali çıkarlarının korunması (bütçe, vergi, mali konular)",
               "The State's economic and financial interests (budget, tax, finance)"),
    ReasonCode("identity_not_verified", "Tebliğ m. 5; KVKK m. 13",
               "Başvuru sahibinin kimliği doğrulanamadı", "The applicant's identity could not be "
               "verified"),
    ReasonCode("not_controller", "KVKK m. 3/1-ı",
               "Kurumumuz bu veriler bakımından veri sorumlusu değildir",
               "We are not the data controller for these data"),
    ReasonCode("no_data_held", "KVKK m. 11",
               "Başvuru sahibine ait işlenen kişisel veri bulunmamaktadır",
               "We hold no personal data about the applicant"),
    ReasonCode("unclear_after_asking", "Tebliğ m. 5/2",
               "Ek bilgi istenmesine rağmen talep açıklığa kavuşturulamadı",
               "The request remained unclear after we asked for more information"),
    ReasonCode("other", "", "Diğer (gerekçede açıklanmıştır)", "Other (explained in the "
               "justification)"),
)
REASONS_BY_CODE = {r.code: r for r in REASON_CODES}


class DecisionError(ValueError):
    def __init__(self, field: str, why: str):
        super().__init__(f"{field}: {why}")
        self.field, self.why = field, why


def check_decision(outcome: str, reason_code: str | None, justification: str | None) -> None:
    """Raise DecisionError unless the decision is complete: rejections need reasons."""
    if outcome not in OUTCOMES:
        raise DecisionError("outcome", "unknown_outcome")
    if reason_code is not None and reason_code not in REASONS_BY_CODE:
        raise DecisionError("reason_code", "unknown_reason")
    if outcome in ("rejected", "partially_accepted"):
        if reason_code is None:
            raise DecisionError("reason_code", "reason_required")
        if not (justification or "").strip():
            raise DecisionError("justification", "justification_required")
