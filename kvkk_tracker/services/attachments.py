"""Check uploads by their content and store them outside every served folder."""

from __future__ import annotations

import hashlib
import os
import secrets
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


@dataclass(frozen=True)
class IncomingFile:
    kind: str  # evidence | power_of_attorney
    filename: str
    data: bytes
    media_type: str

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
