"""Decoding bytes to text: BOMs, UTF-8, a legacy guess; binary files refused."""

from __future__ import annotations

import re
import unicodedata

from ..errors import InputError

BOMS = (  # UTF-32 first: its LE mark starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)

_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"PK\x07\x08", "ZIP"),
    (b"\x1f\x8b", "GZIP"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x28\xb5\x2f\xfd", "ZSTD"),
    (b"\x7fELF", "ELF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
    (b"SQLite format 3\x00", "SQLite"),
)

# Single-byte EBCDIC code pages: never used for news, but short Latin texts
# sometimes "fit" them better than cp1252 in charset-normalizer's scoring.
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]

# Characters of a cp1252 decoding that are plausible in Western text.
_WESTERN_PUNCTUATION = frozenset("\u00a0½¼¾‘’‚“”„–—…•€™«»°£¥¢©®§·×¡¿")

SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.1


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode an article file's bytes, or raise InputError if it is not text.

    Order: byte-order mark (UTF-8/16/32); binary signatures (PDF, PNG, ZIP,
    GZIP ...); NUL bytes (BOM-less UTF-16 is recognised, anything else is
    binary); strict UTF-8; the `declared` codec (from an HTML <meta>, see
    declared_charset); then a guess for legacy encodings, Western first
    (windows-1252, then cp1251, cp1250 ... by charset-normalizer).  A decoded text that is mostly control characters
    is binary too.  The result is not yet normalised (see normalize_text).
    """
    text = _decode_with_bom(data)
    if text is None:
        reject_binary_signature(data)
        text = _decode_with_nul(data) if b"\x00" in data else _decode_unmarked(data, declared)
    _reject_control_heavy(text)
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid {name} despite its byte-order mark (byte {exc.start + len(bom)})"
                ) from None
    return None


def reject_binary_signature(data: bytes) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({kind}) is not an article")


def _decode_with_nul(data: bytes) -> str:
    """NUL bytes mean binary, unless the file is UTF-16 without a mark.

    Mostly-ASCII UTF-16 has a NUL in every other byte (the odd ones for
    little-endian, the even ones for big-endian) and almost none elsewhere.
    """
    sample = data[:SNIFF_BYTES]
    half = len(sample) // 2
    if len(data) % 2 == 0 and half >= 2:
        even_nuls = sample[0::2].count(0) / half
        odd_nuls = sample[1::2].count(0) / half
        codec = None
        if odd_nuls > 0.9 and even_nuls < 0.1:
            codec = "utf-16-le"
        elif even_nuls > 0.9 and odd_nuls < 0.1:
            codec = "utf-16-be"
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    raise InputError("binary file (NUL bytes) is not an article")


def _decode_unmarked(data: bytes, declared: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return _decode_legacy(data)


def _decode_legacy(data: bytes) -> str:
    """Guess a legacy single/multi-byte encoding, Western first.

    Among legacy code pages kgbuild prefers the Western one, windows-1252
    (which browsers also use for iso-8859-1): when the bytes decode as
    windows-1252 to text that looks Western (few non-ASCII letters, all of
    them Latin, plus common punctuation such as « » ° £ €), that decoding is
    taken before any detector is asked.  charset-normalizer alone picks DOS
    and Mac code pages or even CJK ones for short Western texts
    ("Deir ez-Zôr" -> "Deir ez-Z¶r", "Zôr" -> "Z皾").  Only for the rest
    (Cyrillic, Greek, Central European, CJK ... whose windows-1252 reading
    is full of accented letters or odd symbols) does charset-normalizer
    decide, and cp1252 still wins its ties.
    """
    cp1252 = _cp1252_or_none(data)
    if cp1252 is not None and _looks_western(cp1252):
        return cp1252
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_exclusion=_EBCDIC))
    if not matches:
        raise InputError("cannot decode: not UTF-8 and no known encoding fits")
    best = min(matches, key=lambda m: (m.chaos, -m.coherence))
    for m in matches:
        if "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos and m.coherence >= best.coherence:
            return str(m)
    return str(best)


def _cp1252_or_none(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def _looks_western(text: str) -> bool:
    """Few non-ASCII characters, all Latin letters or common punctuation.

    A Cyrillic or Greek text read as cp1252 has nearly every letter accented;
    the ratio is only trusted from a dozen letters on, so a lone word such as
    "Zôr" still counts as Western.
    """
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 12 and sum(ord(c) > 127 for c in letters) > 0.3 * len(letters):
        return False
    foreign = {c for c in text if ord(c) > 127}
    return all(c in _WESTERN_PUNCTUATION or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in foreign)


def _reject_control_heavy(text: str) -> None:
    sample = text[:SNIFF_BYTES]
    if not sample:
        return
    controls = sum(1 for c in sample if c not in "\t\n\r\f\v" and unicodedata.category(c) == "Cc")
    if controls > _MAX_CONTROL_RATIO * len(sample):
        raise InputError("binary file (control characters) is not an article")


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([^\s"'>;/]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The Python codec an HTML page's <meta> charset label stands for, or None.

    Labels follow the WHATWG Encoding Standard (kgbuild.ingest.labels): the
    label table maps e.g. "latin1", "iso-8859-1" and "ascii" to windows-1252;
    "utf-16" (LE/BE) in a <meta> means UTF-8, as in browsers; an unknown
    label ("undefined") is ignored.  Only the first label in the first 8 kB
    counts.
    """
    from .labels import meta_charset_codec

    found = _META_CHARSET.search(data[:SNIFF_BYTES])
    if not found:
        return None
    return meta_charset_codec(found.group(1).decode("latin-1"))
