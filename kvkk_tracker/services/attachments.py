"""Check uploads by their content and store them outside every served folder."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Magic numbers: the file's first bytes decide its type, never its name.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_media_type(head: bytes) -> str | None:
    """Return the media type the content proves, or None for anything else."""
    for magic, media_type in SIGNATURES:
        if head.startswith(magic):
            return media_type
    return None


# Direction overrides and isolates: "fatura\u202efdp.exe" displays as "faturaexe.pdf".
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_filename(name: str) -> str:
    """Return an upload's name fit to store and show: no folders, controls or bidi overrides.

    PostgreSQL refuses NUL in text, so a raw name could fail the whole transaction.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    kept = "".join(ch for ch in base if ch not in _BIDI_CONTROLS
                   and unicodedata.category(ch) not in ("Cc", "Cs"))
    return kept.strip()[:255] or "file"


@dataclass(frozen=True)
class IncomingFile:
    kind: str  # evidence | power_of_attorney
    filename: str
    data: bytes
    media_type: str

    def __post_init__(self):
        object.__setattr__(self, "filename", clean_filename(self.filename))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class FileStash:
    """Files written during one transaction, removed again if the transaction fails."""

    directory: Path
    written: list[Path] = field(default_factory=list)

    def put(self, data: bytes) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        path = self.directory / name
        # O_EXCL: never overwrite, even on the (astronomically unlikely) name clash.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        self.written.append(path)
        return name

    def discard(self) -> None:
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()
