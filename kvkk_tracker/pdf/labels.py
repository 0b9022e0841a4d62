"""The Turkish wording of letters. Replies are in Turkish (Tebliğ Art. 4), whatever the UI."""

from __future__ import annotations

OUTCOME_LABELS = {
    "accepted": "Kabul edildi",
    "partially_accepted": "Kısmen kabul edildi",
    "rejected": "Reddedildi",
    None: "Karar verilmedi",
}
ACTION_LABELS = {
    "rectified": "Veriler düzeltildi",
    "erased": "Veriler silindi",
    "anonymised": "Veriler anonim hâle getirildi",
    "recipient_notified": "Aktarılan üçüncü kişiye bildirildi (m. 11/1-f)",
}
TITLES = {
    "receipt": "Başvuru Alındı Belgesi",
    "reply": "Kişisel Veri Başvurusuna Cevap",
    "info_request": "Ek Bilgi ve Belge Talebi",
    "identity_rejection": "Başvurunun Reddi (Kimlik Doğrulanamadı)",
}
SUBJECTS = {
    "receipt": "Kişisel veri başvurunuzun alınması hk.",
    "reply": "6698 sayılı Kanun kapsamındaki başvurunuz hk.",
    "info_request": "Başvurunuza ilişkin ek bilgi talebi hk.",
    "identity_rejection": "Başvurunuzun reddi hk.",
}
