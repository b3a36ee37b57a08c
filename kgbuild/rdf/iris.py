"""Deterministic, safely encoded IRIs (no counters, no uuid, no hash()).

Every IRI is a pure function of the base, the document id and the record's
content or offsets, so the same input always gives the same IRIs and the same
actor in two articles gets one IRI.  Each path segment is NFC-normalised and
percent-encoded (RFC 3987-safe: no spaces, quotes, <>{}|\\^` or controls).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from rdflib import URIRef

from .namespaces import DEFAULT_BASE


def segment(text: str) -> str:
    """One IRI path segment: NFC, then percent-encode everything but unreserved.

    A lone surrogate (not valid Unicode, but possible in a Python str) is
    encoded with "surrogatepass", so the IRI stays ASCII, valid and distinct.
    """
    text = unicodedata.normalize("NFC", text) or "_"
    return quote(text.encode("utf-8", "surrogatepass"), safe="-._~")


def short_hash(*parts: str, length: int = 16) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


@dataclass(frozen=True)
class Minter:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if "#" in self.base:
            from ..errors import UsageError

            raise UsageError(
                f"base IRI {self.base!r} must not contain '#': span IRIs are <doc#char=b,e>; end the base with '/'"
            )
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}doc/{segment(doc_id)}")

    def graph(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/{segment(doc_id)}")

    def span(self, doc_id: str, start: int, end: int) -> URIRef:
        """A NIF/RFC 5147 span of the article text."""
        return URIRef(f"{self.doc(doc_id)}#char={start},{end}")

    def entity(self, key: str) -> URIRef:
        return URIRef(f"{self.base}entity/{segment(key)}")

    def event(self, doc_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}event/{segment(doc_id)}/{start}-{end}")

    def statement(self, doc_id: str, s: str, p: str, o: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self.base}stmt/{segment(doc_id)}/{short_hash(s, p, o, str(start), str(end))}")

    def time(self, value: str) -> URIRef:
        return URIRef(f"{self.base}time/{segment(value)}")

    def run(self, version: str) -> URIRef:
        return URIRef(f"{self.base}run/{segment(version)}")
