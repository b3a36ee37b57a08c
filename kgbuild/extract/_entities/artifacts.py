"""Artifacts: names of products, vehicles and weapons, which the statistical NER often types as
organisations or persons.  Evidence is the form of the name (camelCase "iPhone", a model
number "Galaxy S10", "Boeing 737", a designation "F-16") together with the parse: a name
modifying a product, vehicle or weapon noun ("MacBook Air laptops", "F-16 jets"), or the object
of a verb that takes products (data/product_verbs.txt: "released Lion", "flew the Cessna")."""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..doc import doc_text
from .data import Nominal, load_nominals, load_product_qualifiers, load_word_list
from .types import DETERMINERS

ARTIFACT_CLASSES = ("Product", "Vehicle", "Weapon")

_CAMEL = re.compile(r"^[a-z]{1,2}[A-Z][A-Za-z]+$")  # iPhone, eReader: product-style names
_CAMEL_HINT = re.compile(r"[a-z][A-Z]")  # what every _CAMEL match contains
_MODEL = re.compile(r"^(\d[\w.]*|[A-Z]{1,3}\d[\w]*)$")  # "4", "3GS", "X5", "10.4"
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,2}-\d{1,4}[A-Za-z]{0,2}$")  # "F-16", "Su-24", "MiG-29", "AK-47"
_MODEL_CODE = re.compile(r"^([A-Z]{1,3}\d[\w-]*|\d{3,4}(-\d{1,4})?[A-Za-z]{0,3})$")  # "A320", "737", "737-800"
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def product_names(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """camelCase names ("iPhone 4") and PRODUCT spans with their model number are products."""
    curated = {i for e in ents if e.kb_id_ for i in range(e.start, e.end)}
    out, spans = [], []
    # a camelCase token holds a lower-case letter followed by a capital: look at the tokens only if the text does
    for tok in doc if _CAMEL_HINT.search(doc_text(doc)) else ():
        if _CAMEL.match(tok.text) and tok.i not in curated:
            end = tok.i + 1
            while end < len(doc) and end - tok.i < 3 and _MODEL.match(doc[end].text):
                end += 1
            spans.append(SpacySpan(doc, tok.i, end, label="PRODUCT"))
    for ent in ents:
        if ent.label_ == "PRODUCT" and ent.end < len(doc) and _MODEL.match(doc[ent.end].text):
            ent = SpacySpan(doc, ent.start, ent.end + 1, label="PRODUCT")
        if any(p.start < ent.end and ent.start < p.end for p in spans) and not ent.kb_id_:
            continue  # the product span replaces NER's guess ("iPhone" as ORG, "4" as CARDINAL)
        out.append(ent)
    return out + spans


def _product_head(doc: Doc, ent: SpacySpan) -> Token | None:
    """The product noun a name modifies ("MacBook Air laptops", "Mac OS X operating system"),
    if every token between the name and that noun is a noun or adjective modifier."""
    nominals = load_nominals()
    head = ent.root.head
    if ent.root.dep_ != "compound" or head.i < ent.end or head.i - ent.end > 2 or head.pos_ != "NOUN":
        return None
    nominal = nominals.get(head.lemma_.lower()) or nominals.get(head.lower_)
    if nominal is None or nominal.cls not in ARTIFACT_CLASSES:
        return None
    if any(t.pos_ not in ("NOUN", "ADJ", "PROPN") for t in doc[ent.end : head.i]):
        return None
    return head


def _model_name(ent: SpacySpan) -> bool:
    """'MacBook Pro', 'Mac OS X', 'Galaxy S10', 'Windows 7': a qualifier or model number after the brand."""
    words = [t for t in ent if t.lower_ not in DETERMINERS]
    if len(words) < 2 or not words[0].text[:1].isupper():
        return False
    nominals = load_nominals()
    if any(
        (nominals.get(t.lower_) or nominals.get(t.lemma_.lower()) or Nominal("", "", frozenset())).coarse
        == "ORGANIZATION"
        for t in words
    ):
        return False  # "Air Force Security Forces", "Pro Bono Office": an organisation's name
    qualifiers = load_product_qualifiers()
    return any(t.lower_ in qualifiers for t in words[1:]) or bool(
        _MODEL.match(words[-1].text) and any(c.isdigit() for c in words[-1].text)
    )


def product_phrases(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """Names the NER typed as firms or people that name products.

    A name directly modifying a product noun ("MacBook Air laptops") is a product and its
    mention takes the noun in; so is a name with a model word or number after the brand
    ("Mac OS X", "Galaxy S10").  A one-word brand also used on its own in the article
    ("Ford said ... Ford trucks") stays the company."""
    labels = ("ORG", "PERSON", "MISC", "PRODUCT")
    standalone = Counter(e.text.lower() for e in ents if e.label_ in labels and _product_head(doc, e) is None)
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = []
    for ent in ents:
        if ent.kb_id_ or ent.label_ not in labels:
            out.append(ent)
            continue
        head = _product_head(doc, ent)
        if (
            head is not None
            and (len(ent) > 1 or not standalone[ent.text.lower()])
            and not any(i in taken for i in range(ent.end, head.i + 1))
        ):
            ent = SpacySpan(doc, ent.start, head.i + 1, label="PRODUCT")
        elif ent.label_ != "PRODUCT" and _model_name(ent):
            ent = SpacySpan(doc, ent.start, ent.end, label="PRODUCT")
        out.append(ent)
    return out


def _glued(doc: Doc, i: int, most: int = 3) -> tuple[int, str]:
    """End and text of the run of tokens from i written without spaces ("737", "-", "800")."""
    end = i + 1
    while end < len(doc) and end - i < most and not doc[end - 1].whitespace_:
        end += 1
    return end, doc[i:end].text


def model_numbers(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Boeing 737', 'Airbus A320': a maker's name right before a model code is one product
    name (the NER types the maker as an organisation and the code as a number).  A bare
    number must have three or four digits, not be a year, and not continue a list or score."""
    out: list[SpacySpan] = []
    models: list[SpacySpan] = []
    for ent in ents:
        nxt = ent.end
        if (
            ent.label_ in ("ORG", "PERSON", "MISC")
            and nxt < len(doc)
            and ent[-1].whitespace_
            and ent[-1].text[:1].isupper()
        ):
            end, code = _glued(doc, nxt)
            if not _MODEL_CODE.match(code):
                end, code = nxt + 1, doc[nxt].text
            if (
                _MODEL_CODE.match(code)
                and not _YEAR.match(code)
                and (not code.isdigit() or end == len(doc) or doc[end].text not in (",", "-", "–", "to", ":"))
                and not any(
                    e.start < end and nxt < e.end and e.label_ not in ("CARDINAL", "QUANTITY", "PRODUCT") for e in ents
                )
            ):
                models.append(SpacySpan(doc, ent.start, end, label="PRODUCT"))
                continue
        out.append(ent)
    if not models:
        return ents
    taken = {i for m in models for i in range(m.start, m.end)}
    return [e for e in out if not any(i in taken for i in range(e.start, e.end))] + models


def designations(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'F-16 jets', 'an Su-24 bomber', 'AK-47 rifles': a type designation modifying a vehicle,
    weapon or product noun names an artifact, whatever (if anything) the NER made of it."""
    if "-" not in doc_text(doc):
        return ents
    nominals = load_nominals()
    curated = {i for e in ents if e.kb_id_ for i in range(e.start, e.end)}
    spans = []
    i = 0
    while i < len(doc):
        end, text = _glued(doc, i)
        if not doc[i].text[:1].isupper() or i in curated or not _DESIGNATION.match(text):
            i += 1
            continue
        head = doc[end - 1].head if doc[end - 1].head.i >= end else doc[i].head
        nominal = nominals.get(head.lemma_.lower()) or nominals.get(head.lower_)
        if 0 < head.i - end + 1 <= 2 and nominal is not None and nominal.cls in ARTIFACT_CLASSES:
            spans.append(SpacySpan(doc, i, head.i + 1, label="PRODUCT"))
        i = end
    if not spans:
        return ents
    taken = {i for s in spans for i in range(s.start, s.end)}
    return [e for e in ents if not any(i in taken for i in range(e.start, e.end))] + spans


def objects_of_product_verbs(doc: Doc, ents: list[SpacySpan]) -> list[SpacySpan]:
    """'Microsoft released Windows Vista', 'the pilot flew the Cessna': an uncurated name that
    is the object of a verb taking products (data/product_verbs.txt) is a product."""
    verbs = load_word_list("product_verbs.txt")
    out = []
    for ent in ents:
        root = ent.root
        if (
            not ent.kb_id_
            and ent.label_ in ("ORG", "PERSON", "MISC")
            and root.dep_ in ("dobj", "nsubjpass")
            and root.head.lemma_.lower() in verbs
        ):
            ent = SpacySpan(doc, ent.start, ent.end, label="PRODUCT")
        out.append(ent)
    return out


def artifact_class(ent: SpacySpan) -> str:
    """The class of a product name from its own head noun ("F-16 jets" a Vehicle, "AK-47
    rifles" a Weapon); a bare name is a Product."""
    nominals = load_nominals()
    last = ent[-1]
    nominal = nominals.get(last.lemma_.lower()) or nominals.get(last.lower_)
    return nominal.cls if nominal is not None and nominal.cls in ARTIFACT_CLASSES and len(ent) > 1 else "Product"
