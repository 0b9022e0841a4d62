"""Made-up applicants for demo data: Turkish names, checksum-valid T.C. numbers, addresses.

Everything is drawn from a `random.Random` passed in, so a seed reproduces the same people.
The T.C. numbers pass the checksum of KVKK.md §2 but are random: one may belong to a real
person, so demo data must never leave a development or demo machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..domain.text import tr_lower

# Names chosen to exercise the Turkish letters (İ/ı, Ş, Ğ, Ç, Ö, Ü) in search and sorting.
FEMALE = ("Ayşe", "Fatma", "Emine", "Zeynep", "Elif", "Şule", "Işıl", "Ilgın", "İpek", "Özge",
          "Öykü", "Gülşen", "Çağla", "Tuğba", "Büşra", "Ümran", "Ülkü", "Gökçe", "Nurşen",
          "Dilek", "Sevgi", "Merve", "Hülya", "Derya", "Şebnem", "İrem", "Aslı", "Ebru")
MALE = ("Mehmet", "Mustafa", "Ahmet", "Ali", "İsmail", "İbrahim", "Hüseyin", "Ömer", "Uğur",
        "Çağrı", "Doğan", "Buğra", "Şükrü", "Ümit", "Ilgaz", "Işık", "Gökhan", "Oğuz", "Tolga",
        "Barış", "Kağan", "Özgür", "Eren", "Serkan", "Emre", "Çetin", "Şahin", "Yiğit")
SURNAMES = ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk",
            "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç",
            "Kurt", "Özkan", "Şimşek", "Polat", "Özer", "Ünal", "Güneş", "Işık", "İnce",
            "Uğurlu", "Çağlayan", "Ağaoğlu", "Erdoğan", "Karaağaç", "Ilıcalı", "İlhan", "Gül",
            "Bozkurt", "Türkoğlu", "Çakır", "Şen", "Sarıgül", "Akgündüz", "Dağdelen")
# A few foreigners apply too (Tebliğ Art. 5(2): nationality and passport number).
FOREIGN = (("DE", "Anna", "Müller"), ("DE", "Jonas", "Schäfer"), ("GB", "Oliver", "Smith"),
           ("GB", "Emily", "Clarke"), ("NL", "Sanne", "de Vries"), ("FR", "Zoé", "Lefèvre"),
           ("RU", "Olga", "Ivanova"), ("UA", "Oleksandr", "Shevchenko"),
           ("AZ", "Aysel", "Məmmədova"), ("IR", "Reza", "Ahmadi"), ("SY", "Lina", "Haddad"),
           ("IQ", "Omar", "Al-Jabouri"), ("US", "Michael", "Johnson"))
CITIES = (("İstanbul", ("Kadıköy", "Üsküdar", "Şişli", "Beşiktaş", "Bağcılar", "Çekmeköy")),
          ("Ankara", ("Çankaya", "Keçiören", "Yenimahalle", "Gölbaşı")),
          ("İzmir", ("Karşıyaka", "Bornova", "Buca", "Çiğli")),
          ("Bursa", ("Nilüfer", "Osmangazi")), ("Antalya", ("Muratpaşa", "Kaş")),
          ("Eskişehir", ("Odunpazarı", "Tepebaşı")), ("Şanlıurfa", ("Eyyübiye", "Haliliye")),
          ("Muğla", ("Bodrum", "Fethiye")), ("Iğdır", ("Merkez", "Tuzluca")),
          ("Ağrı", ("Doğubayazıt", "Patnos")), ("Çanakkale", ("Gelibolu", "Ayvacık")),
          ("Kırşehir", ("Merkez", "Kaman")), ("Diyarbakır", ("Bağlar", "Kayapınar")))
NEIGHBOURHOODS = ("Atatürk", "Cumhuriyet", "Fatih", "Yıldırım Beyazıt", "Gazi Osman Paşa",
                  "İnönü", "Şirinevler", "Çamlıca", "Güzelyalı", "Ümraniye", "Kocatepe")
STREETS = ("Gül", "Lale", "Menekşe", "Çınar", "Ihlamur", "Söğüt", "Papatya", "Şehit Ömer",
           "Barış", "Özgürlük", "Kültür", "Kızılırmak")
_ASCII = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a",
                        "ä": "a", "é": "e", "è": "e", "ə": "a", " ": "", "-": "", "'": ""})


def tckn_check_digits(first_nine: str) -> str:
    """Return digits 10 and 11 of a T.C. kimlik no for its first nine (KVKK.md §2)."""
    d = [int(c) for c in first_nine]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return f"{d10}{d11}"


def random_tckn(rng: random.Random, first: int | None = None) -> str:
    """Return an 11-digit number that passes the checksum; the first digit is never 0."""
    head = first if first is not None else rng.randint(1, 9)
    nine = f"{head}{rng.randrange(10**8):08d}"
    return nine + tckn_check_digits(nine)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII for e-mail addresses: 'Işıl Çağlayan' -> 'isilcaglayan'."""
    return tr_lower(text).translate(_ASCII)


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    nationality: str
    tckn: str | None
    passport_no: str | None
    address: str
    email: str | None
    phone: str | None


def _address(rng: random.Random) -> str:
    city, districts = rng.choice(CITIES)
    return (f"{rng.choice(NEIGHBOURHOODS)} Mah. {rng.choice(STREETS)} Sok. "
            f"No: {rng.randint(1, 180)} D: {rng.randint(1, 24)}, {rng.choice(districts)}/{city}")


def _phone(rng: random.Random) -> str:
    return (f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}")


def _passport(rng: random.Random, country: str) -> str:
    if rng.random() < 0.3:
        # A foreigners' identity number (yabancı kimlik no): starts with 99, same checksum.
        return _foreign_id(rng)
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{country}{rng.choice(letters)}{rng.randint(1000000, 9999999)}"


def _foreign_id(rng: random.Random) -> str:
    nine = f"99{rng.randrange(10**7):07d}"
    return nine + tckn_check_digits(nine)


def random_person(rng: random.Random, foreign_share: float = 0.05) -> Person:
    if rng.random() < foreign_share:
        country, first, last = rng.choice(FOREIGN)
        tckn, passport = None, _passport(rng, country)
    else:
        country = "TR"
        first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
        if rng.random() < 0.08:  # double given names are common: "Ayşe Gül", "Mehmet Ali"
            first = f"{first} {rng.choice(FEMALE + MALE)}"
        last = rng.choice(SURNAMES)
        tckn, passport = random_tckn(rng), None
    email = None
    if rng.random() < 0.85:
        # .example is reserved (RFC 2606): reminder and reply e-mails to demo applicants cannot
        # reach anyone, whereas example.com.tr is an ordinary, registrable domain.
        email = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randint(1, 999)}@eposta.example"
    phone = _phone(rng) if rng.random() < 0.7 else None
    return Person(first, last, country, tckn, passport, _address(rng), email, phone)
