"""The words of demo data: subjects, justifications, notes, evidence, recipients (Turkish)."""

from __future__ import annotations

import random
from datetime import datetime

from ..domain.deadlines import to_istanbul
from .people import FEMALE, MALE, SURNAMES
from .weighted import Weighted

SUBJECTS = {
    "a": "Şirketinizin hakkımda kişisel veri işleyip işlemediğini öğrenmek istiyorum.",
    "b": "Hakkımda işlenen kişisel verilerin neler olduğuna dair bilgi talep ediyorum.",
    "c": "Verilerimin hangi amaçla işlendiğini ve bu amaca uygun kullanılıp kullanılmadığını "
         "öğrenmek istiyorum.",
    "cc": "Kişisel verilerimin yurt içinde veya yurt dışında aktarıldığı üçüncü kişileri "
          "bildirmenizi rica ederim.",
    "d": "Kayıtlarınızdaki adres ve telefon bilgilerim yanlış; düzeltilmesini istiyorum.",
    "e": "Üyeliğim sona erdi; kişisel verilerimin silinmesini talep ediyorum.",
    "f": "Düzeltme ve silme işlemlerinin verilerimi aktardığınız üçüncü kişilere "
         "bildirilmesini istiyorum.",
    "g": "Kredi başvurum otomatik değerlendirme sonucu reddedildi; bu sonuca itiraz ediyorum.",
    "gg": "Verilerimin hukuka aykırı işlenmesi nedeniyle uğradığım zararın giderilmesini "
          "talep ediyorum.",
    "other": "Pazarlama amaçlı verdiğim açık rızamı geri alıyorum.",
}
CONTEXTS = ("Müşteri numaram: {n}.", "Mağazanızdan {y} yılında alışveriş yaptım.",
            "{y} yılına kadar şirketinizde çalıştım.", "Ekte kimlik fotokopimi sunuyorum.",
            "Cevabın e-posta adresime gönderilmesini rica ederim.", "")
JUSTIFICATIONS = {
    "art28_1": "Talep konusu veriler yargı makamlarının kararı üzerine işlenmektedir; KVKK m. "
               "28/1 uyarınca Kanun hükümleri uygulanmaz.",
    "art28_2_a": "Veriler devam eden bir suç soruşturması kapsamında işlenmektedir (KVKK m. "
                 "28/2-a).",
    "art28_2_b": "Talep edilen bilgiler başvuru sahibi tarafından sosyal medyada "
                 "alenileştirilmiştir (KVKK m. 28/2-b).",
    "art28_2_c": "Veriler kurumumuzun denetim ve disiplin görevleri kapsamında işlenmektedir.",
    "art28_2_cc": "Veriler vergi mevzuatı kapsamındaki yükümlülüklerimiz için işlenmektedir.",
    "identity_not_verified": "Kayıtlarımızla eşleşme sağlanamadı ve gönderilen doğrulama kodu "
                             "süresinde girilmedi; kimliğiniz doğrulanamadı.",
    "not_controller": "Söz konusu veriler iş ortağımız tarafından veri sorumlusu sıfatıyla "
                      "işlenmektedir; başvurunuzu ilgili şirkete yöneltebilirsiniz.",
    "no_data_held": "Kayıtlarımızda adınıza işlenen herhangi bir kişisel veri bulunmamaktadır.",
    "unclear_after_asking": "Ek bilgi talebimize süresi içinde yanıt verilmediğinden talebin "
                            "kapsamı belirlenemedi.",
    "other": "Talebin bir kısmı yasal saklama yükümlülüğümüz nedeniyle karşılanamamıştır.",
}
REJECT_REASONS = {"no_data_held": 30, "not_controller": 10, "unclear_after_asking": 10,
                  "other": 10, "art28_2_a": 8, "art28_2_b": 8, "art28_2_c": 5,
                  "art28_2_cc": 5, "art28_1": 4}
PARTIAL_REASONS = {"other": 40, "art28_2_a": 15, "art28_2_b": 15, "art28_2_cc": 15,
                   "no_data_held": 15}
OUTCOMES = Weighted({"accepted": 60, "partially_accepted": 15, "rejected": 25})
REASON_POOLS = {"rejected": Weighted(REJECT_REASONS),
                "partially_accepted": Weighted(PARTIAL_REASONS)}
REASON_POOLS_GG = {
    outcome: Weighted({k: v for k, v in pool.items() if not k.startswith("art28_2")})
    for outcome, pool in (("rejected", REJECT_REASONS), ("partially_accepted", PARTIAL_REASONS))}
RECIPIENTS = ("Örnek Kargo ve Lojistik A.Ş.", "Bulut Barındırma Hizmetleri Ltd. Şti.",
              "Çağrı Merkezi Çözümleri A.Ş.", "Güvenli Ödeme Kuruluşu A.Ş.",
              "İletişim Pazarlama Ajansı Ltd. Şti.")
NOTES = ("Başvuru sahibi telefonla arandı; ek belge e-posta ile istendi.",
         "Müşteri ilişkileri biriminden kayıt dökümü istendi.",
         "İK kayıtlarında eski çalışan dosyası bulundu, arşivden çıkarıldı.",
         "Hukuk birimiyle görüşüldü: m. 28/2 istisnası değerlendirilecek.",
         "Bilgi işlem silme işlemini tamamladığını bildirdi.",
         "Kimlik doğrulaması için kayıtlı telefona kod gönderildi.")
ANSWERS = ("İstediğiniz nüfus cüzdanı fotokopisini ekte gönderiyorum.",
           "Müşteri numaram yukarıda yazılıdır; 2019'dan beri üyeyim.",
           "Talebim yalnızca pazarlama izinlerimle ilgilidir.",
           "Adres değişikliğimi gösteren ikametgâh belgesini ekledim.")
IDENTITY_NOTES = {"verified": ("Kayıtlı telefona gönderilen kod doğru girildi.",
                               "Nüfus cüzdanı aslı görüldü.", "KEP gönderici adresi eşleşti.",
                               None),
                  "failed": ("Kayıtlarla eşleşme sağlanamadı.",
                             "Doğrulama kodu süresinde girilmedi.")}


def subject(rng: random.Random, rights: list[str]) -> str:
    context = rng.choice(CONTEXTS).format(n=rng.randint(100000, 999999),
                                          y=rng.randint(2012, 2025))
    return " ".join(p for p in (SUBJECTS[rights[0]], context) if p)


def representative(rng: random.Random) -> str:
    return f"Av. {rng.choice(FEMALE + MALE)} {rng.choice(SURNAMES)}"


def evidence(rng: random.Random, channel: str, received_at: datetime) -> str:
    year = to_istanbul(received_at).year
    if channel == "kep":
        return f"KEP delil no: {rng.getrandbits(64):016x}"
    if channel == "registered_email":
        return f"E-posta Message-ID <{rng.getrandbits(48):012x}@eposta.example>"
    if channel in ("e_signature", "mobile_signature"):
        return (f"İmzalı dosya SHA-256 {rng.getrandbits(64):016x}…, "
                f"evrak no {year}/{rng.randint(1, 99999)}")
    return f"Gelen evrak kayıt no: {year}/{rng.randint(1, 99999)}"


def identity_note(rng: random.Random, result: str) -> str | None:
    return rng.choice(IDENTITY_NOTES[result])


def outcome(rng: random.Random, right_code: str, identity: str) -> tuple[str, str | None]:
    """Return (outcome, reason code) for one right; an unverified applicant is rejected."""
    if identity != "verified":
        return "rejected", "identity_not_verified"
    result = OUTCOMES(rng)
    if result == "accepted":
        return result, None
    # Art. 28(2) keeps the right to compensation (ğ): its exemptions are no reason there.
    pools = REASON_POOLS_GG if right_code == "gg" else REASON_POOLS
    return result, pools[result](rng)


def justification(reason_code: str) -> str:
    return JUSTIFICATIONS[reason_code]


def actions(rng: random.Random, right_code: str, by: int, at: datetime) -> list[dict]:
    """Return what was done to carry out an accepted right: (d), (e) and (f) leave actions."""
    done_on = to_istanbul(at).date()

    def action(kind: str, recipient: str | None = None) -> dict:
        return {"action": kind, "recipient": recipient, "done_on": done_on,
                "proof": f"Sistem kaydı #{rng.randint(10000, 99999)}", "created_by_id": by,
                "created_at": at}

    if right_code == "d":
        return [action("rectified")]
    if right_code == "e":
        return [action("erased" if rng.random() < 0.7 else "anonymised")]
    if right_code == "f":
        return [action("recipient_notified", r)
                for r in rng.sample(RECIPIENTS, rng.randint(1, 3))]
    return []


def note(rng: random.Random) -> str:
    return rng.choice(NOTES)


def applicant_answer(rng: random.Random) -> str:
    return rng.choice(ANSWERS)
