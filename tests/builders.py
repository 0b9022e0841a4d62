"""Builders for valid input; tests override only what they are about."""

from __future__ import annotations

from datetime import UTC, datetime

# A valid T.C. kimlik number (KVKK.md §2); 17291716050 fails the checksum.
VALID_TCKN = "17291716060"
INVALID_TCKN = "17291716050"
FIXED_NOW = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)  # 10:00 in Istanbul


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Işıl",
        "last_name": "Çağlayan",
        "nationality": "TR",
        "tckn": VALID_TCKN,
        "passport_no": "",
        "address": "Kızılay Mah. Atatürk Blv. No: 5, Çankaya/Ankara",
        "email": "isil@example.com.tr",
        "phone": "0532 123 45 67",
        "relationship": "customer",
        "rights": ["a", "cc"],
        "subject": "Hangi kişisel verilerimin işlendiğini öğrenmek istiyorum.",
        "reply_channel": "email",
        "representative_name": "",
        "declaration": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def api_payload(**overrides) -> dict:
    data = {
        "first_name": "Işıl",
        "last_name": "Çağlayan",
        "nationality": "TR",
        "tckn": VALID_TCKN,
        "address": "Kızılay Mah. Atatürk Blv. No: 5, Çankaya/Ankara",
        "email": "isil@example.com.tr",
        "phone": "0532 123 45 67",
        "relationship": "customer",
        "rights": ["a", "cc"],
        "subject": "Hangi kişisel verilerimin işlendiğini öğrenmek istiyorum.",
        "reply_channel": "email",
        "declaration": True,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
