"""What goes into a letter's PDF file beyond WeasyPrint's defaults: each object serialised once,
at our zlib level, and the ICC profile embedded as its file's own bytes (render.py uses them)."""

from __future__ import annotations

import zlib
from functools import cached_property, lru_cache
from importlib.util import find_spec
from pathlib import Path

import pydyf

# PDF/A needs an output intent. WeasyPrint 70.0's own "srgb" intent opens its ICC file on every
# PDF and never closes it (a ResourceWarning each time); ours is read once into memory.
OUTPUT_INTENT = "kvkk-srgb"
ICC_PROFILE = Path(find_spec("weasyprint").origin).parent / "pdf" / "sRGB2014.icc"

# PDF/A asks pydyf for a file identifier: an MD5 of every object's serialised bytes, taken just
# before those bytes are written. pydyf serialises (and zlib-compresses) each object anew on every
# access, so without this every stream was compressed twice. WeasyPrint's page content stream is
# its own subclass of pydyf.Stream, so the serialise-once class is made for each object's actual
# class (an exact-type lookup missed it, and the page, the largest stream, was still compressed
# twice). Streams are compressed at zlib's default level 6 rather than pydyf's 9: on a letter's
# page stream 9 takes four times as long for 2 % smaller output (measured, docs/benchmarks.md).
COMPRESSION_LEVEL = 6


def stream_data(stream: pydyf.Stream) -> bytes:
    # pydyf 0.13's Stream.data (pinned through WeasyPrint), with our compression level.
    data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        data = zlib.compress(data, COMPRESSION_LEVEL)
    extra["Length"] = len(data)
    return b"\n".join((extra.data, b"stream", data, b"endstream"))


_SERIALISED_ONCE: dict[type, type] = {}


def _once_class(cls: type) -> type:
    once = _SERIALISED_ONCE.get(cls)
    if once is None:
        if issubclass(cls, pydyf.Stream):
            data = cached_property(stream_data)
        elif issubclass(cls, (pydyf.Dictionary, pydyf.Array, pydyf.String)):
            data = cached_property(cls.data.fget)
        else:
            return cls
        # A race between threads only makes an equivalent class twice.
        once = _SERIALISED_ONCE[cls] = type(f"Once{cls.__name__}", (cls,), {"data": data})
    return once


def serialise_once(document, pdf) -> None:
    for pdf_object in pdf.objects:
        pdf_object.__class__ = _once_class(type(pdf_object))


@lru_cache(maxsize=1)
def color_profile_class():
    from weasyprint.css import ColorProfile

    class _FileColorProfile(ColorProfile):
        """An ICC profile embedded as the file's own bytes, the same in every letter.

        WeasyPrint embeds `ImageCmsProfile.tobytes()`, which LittleCMS re-serialises differently
        (3,024 bytes, then 3,116) once the profile's name has been read, as WeasyPrint does for
        every PDF: the first letter a thread rendered differed from all later ones.
        """

        def __init__(self, data: bytes, *args):
            super().__init__(*args)
            self._data = data

        @property
        def content(self) -> bytes:
            return self._data

    return _FileColorProfile
