"""Identity verification methods and the assurance each gives (KVKK.md §5)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VerificationMethod:
    code: str
    assurance: str  # strong | match | records
    tr: str
    en: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.tr


METHODS: tuple[VerificationMethod, ...] = (
    VerificationMethod("kep", "strong", "KEP", "KEP"),
    VerificationMethod("e_signature", "strong", "Güvenli elektronik imza", "E-signature"),
    VerificationMethod("mobile_signature", "strong", "Mobil imza", "Mobile signature"),
    VerificationMethod("registered_email", "match", "Kayıtlı e-posta eşleşmesi",
                       "Registered e-mail match"),
    VerificationMethod("records_code", "records", "Kayıtlarla eşleşme ve doğrulama kodu",
                       "Records match plus a code"),
    VerificationMethod("in_person", "strong", "Yüz yüze kimlik kontrolü", "In person"),
)
METHODS_BY_CODE = {m.code: m for m in METHODS}
RESULTS = ("pending", "verified", "failed")


def may_release_data(identity_status: str) -> bool:
    """Data go out only to a verified applicant."""
    return identity_status == "verified"


def mask_tckn(tckn: str | None) -> str | None:
    """Mask a T.C. number for lists and exports: 123******46."""
    if not tckn:
        return None
    return f"{tckn[:3]}{'*' * (len(tckn) - 5)}{tckn[-2:]}"
