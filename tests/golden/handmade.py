"""Two hand-made Extractions with known answers, shared by the RDF tests.

They are written by hand (not by the pipeline) so that the RDF, SHACL, format,
store, push and query tests do not depend on the extractors, and so that
every expected query answer is obvious from the text.  Offsets are computed
from the text, never typed in.  Article B has non-ASCII text (é, an emoji
outside the BMP) before its mentions, to catch offset-unit bugs.
"""

from __future__ import annotations

from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span

TEXT_A = (
    "Coalition jets struck a bridge near Mosul on 3 March 2021, spokesman John Smith said. "
    '"We hit the bridge to stop the convoy," Smith said. '
    "The Northern Front condemned the coalition."
)
TEXT_B = (
    "Café owners in Genève 🎉 cheered on Friday. "
    "The Northern Front, which opposes the coalition, signed a ceasefire with the government in Geneva. "
    "The truce will start next week."
)
BASE = "https://example.org/kgbuild/"


def _find(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def doc_sentences(text: str) -> tuple[Span, ...]:
    """Sentences split at '. ' / '." ' (good enough for these texts)."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        end = i + 1
        if ch == "." and (end == len(text) or text[end] == " "):
            if text[start:end].strip():
                spans.append(Span(start, end, text[start:end]))
            start = end + 1
    return tuple(spans)


def _sentence_of(sentences: tuple[Span, ...], start: int) -> int:
    return next(i for i, s in enumerate(sentences) if s.start <= start < s.end)


def _mention(text, sentences, needle, coarse, key, nth=1, kind="name") -> Mention:
    b, e = _find(text, needle, nth)
    return Mention(b, e, text[b:e], coarse, key, _sentence_of(sentences, b), kind=kind, extractor="handmade")


def _arg(text, role, needle, key, fine=None, nth=1) -> Argument:
    b, e = _find(text, needle, nth)
    return Argument(role, b, e, text[b:e], entity=key, fine_role=fine)


def article_a() -> Extraction:
    t = TEXT_A
    s = doc_sentences(t)
    ents = (
        Entity(
            "global-coalition",
            "Global Coalition",
            "Coalition",
            "ORGANIZATION",
            mentions=(
                _mention(t, s, "Coalition", "ORGANIZATION", "global-coalition"),
                _mention(t, s, "coalition", "ORGANIZATION", "global-coalition", kind="nominal"),
            ),
            aliases=("the coalition",),
            rule="alias table",
            wikidata="Q18206208",
            confidence=0.95,
        ),
        Entity(
            "a1/bridge",
            "bridge near Mosul",
            "Facility",
            "OTHER",
            mentions=(_mention(t, s, "a bridge near Mosul", "OTHER", "a1/bridge", kind="nominal"),),
            doc_scoped=True,
            rule="generic facility",
            confidence=0.8,
        ),
        Entity(
            "mosul",
            "Mosul",
            "PopulatedPlace",
            "GPE",
            mentions=(_mention(t, s, "Mosul", "GPE", "mosul"),),
            geonames="99072",
            wikidata="Q83272",
            country="IQ",
            lat=36.335,
            lon=43.11889,
            rule="gazetteer",
        ),
        Entity(
            "john-smith",
            "John Smith",
            "Person",
            "PERSON",
            mentions=(
                _mention(t, s, "John Smith", "PERSON", "john-smith"),
                _mention(t, s, "Smith", "PERSON", "john-smith", nth=2),
            ),
            rule="NER + surname",
        ),
        Entity(
            "northern-front",
            "Northern Front",
            "ArmedGroup",
            "ORGANIZATION",
            mentions=(_mention(t, s, "Northern Front", "ORGANIZATION", "northern-front"),),
            rule="alias table",
        ),
        Entity(
            "a1/date-2021-03-03",
            "3 March 2021",
            "Date",
            "DATE",
            mentions=(_mention(t, s, "3 March 2021", "DATE", "a1/date-2021-03-03"),),
            value="2021-03-03",
            doc_scoped=True,
        ),
    )
    strike_b, strike_e = _find(t, "struck")
    said_b, said_e = _find(t, "said", 2)
    cond_b, cond_e = _find(t, "condemned")
    events = (
        Event(
            Span(strike_b, strike_e, "struck"),
            "Airstrike",
            "Attack",
            sentence=0,
            arguments=(
                _arg(t, "agent", "Coalition", "global-coalition"),
                _arg(t, "target", "a bridge near Mosul", "a1/bridge"),
                _arg(t, "place", "Mosul", "mosul"),
                _arg(t, "time", "3 March 2021", "a1/date-2021-03-03"),
            ),
            cameo="195",
            acled="Explosions/Remote violence / Air/drone strike",
            plover="FIGHT",
            date="2021-03-03",
            date_precision="day",
            extractor="handmade",
            confidence=0.9,
        ),
        Event(
            Span(said_b, said_e, "said"),
            "Statement",
            "Statement/Criticism",
            sentence=1,
            arguments=(_arg(t, "agent", "Smith", "john-smith", fine="speaker", nth=2),),
            cameo="010",
            date="2021-03-03",
            date_precision="day",
            quote="We hit the bridge to stop the convoy",
            extractor="handmade",
            confidence=0.85,
        ),
        Event(
            Span(cond_b, cond_e, "condemned"),
            "Criticism",
            "Statement/Criticism",
            sentence=2,
            arguments=(
                _arg(t, "agent", "Northern Front", "northern-front"),
                _arg(t, "target", "coalition", "global-coalition", fine="addressee"),
            ),
            cameo="111",
            plover="DISAPPROVE",
            date="2021-03",
            date_precision="month",
            modality="reported",
            extractor="handmade",
            confidence=0.7,
        ),
    )
    sent0, sent2 = s[0], s[2]
    relations = (
        Relation(
            "john-smith",
            "spokespersonOf",
            "global-coalition",
            *_find(t, "spokesman John Smith"),
            sentence=0,
            extractor="handmade",
            confidence=0.9,
        ),
        Relation(
            "northern-front",
            "opposes",
            "global-coalition",
            sent2.start,
            sent2.end,
            sentence=2,
            extractor="handmade",
            confidence=0.6,
        ),
        Relation(
            "global-coalition",
            "struck",
            "a1/bridge",
            sent0.start,
            sent0.end,
            sentence=0,
            extractor="handmade",
            confidence=0.9,
        ),
    )
    art = Article(
        "a1", t, title="Coalition strikes bridge near Mosul", date="2021-03-04", url="https://news.example.com/a1"
    )
    return Extraction(art, s, ents, events, relations)


def article_b() -> Extraction:
    t = TEXT_B
    s = doc_sentences(t)
    ents = (
        Entity(
            "northern-front",
            "Northern Front",
            "ArmedGroup",
            "ORGANIZATION",
            mentions=(_mention(t, s, "Northern Front", "ORGANIZATION", "northern-front"),),
            rule="alias table",
        ),
        Entity(
            "global-coalition",
            "Global Coalition",
            "Coalition",
            "ORGANIZATION",
            mentions=(_mention(t, s, "coalition", "ORGANIZATION", "global-coalition", kind="nominal"),),
            rule="alias table",
            confidence=0.7,
        ),
        Entity(
            "b2/government",
            "government",
            "GovernmentBody",
            "ORGANIZATION",
            mentions=(_mention(t, s, "the government", "ORGANIZATION", "b2/government", kind="nominal"),),
            doc_scoped=True,
        ),
        Entity(
            "geneva",
            "Geneva",
            "PopulatedPlace",
            "GPE",
            mentions=(_mention(t, s, "Genève", "GPE", "geneva"), _mention(t, s, "Geneva", "GPE", "geneva")),
            aliases=("Genève",),
            geonames="2660646",
            lat=46.20222,
            lon=6.14569,
            rule="gazetteer",
        ),
        Entity(
            "b2/owners",
            "Café owners",
            "PeopleGroup",
            "OTHER",
            mentions=(_mention(t, s, "Café owners", "OTHER", "b2/owners", kind="nominal"),),
            doc_scoped=True,
        ),
    )
    sign_b, sign_e = _find(t, "signed a ceasefire")
    truce_b, truce_e = _find(t, "truce")
    events = (
        Event(
            Span(sign_b, sign_e, t[sign_b:sign_e]),
            "Ceasefire",
            "Agreement/Deal",
            sentence=1,
            arguments=(
                _arg(t, "other", "Northern Front", "northern-front", fine="signatory"),
                _arg(t, "other", "the government", "b2/government", fine="signatory"),
                _arg(t, "place", "Geneva", "geneva"),
            ),
            cameo="0871",
            acled="Strategic developments / Agreement",
            plover="RETREAT",
            date="2021-03-05",
            date_precision="day",
            extractor="handmade",
            confidence=0.8,
        ),
        Event(
            Span(truce_b, truce_e, "truce"),
            "Ceasefire",
            "Agreement/Deal",
            sentence=2,
            date="2021-03-08",
            date_precision="day",
            modality="future",
            extractor="handmade",
            confidence=0.5,
        ),
    )
    sent1 = s[1]
    relations = (
        Relation(
            "northern-front",
            "opposes",
            "global-coalition",
            *_find(t, "opposes the coalition"),
            sentence=1,
            extractor="handmade",
            confidence=0.8,
        ),
        Relation(
            "northern-front",
            "negotiatedWith",
            "b2/government",
            sent1.start,
            sent1.end,
            sentence=1,
            extractor="handmade",
            confidence=0.8,
        ),
        Relation(
            "b2/government",
            "negotiatedWith",
            "northern-front",
            sent1.start,
            sent1.end,
            sentence=1,
            extractor="handmade",
            confidence=0.8,
        ),
    )
    art = Article("b2", t, title="Ceasefire signed in Geneva", date="2021-03-05")
    return Extraction(art, s, ents, events, relations)


def extractions() -> list[Extraction]:
    return [article_a(), article_b()]


def graphs():
    from kgbuild.rdf import Minter, extraction_to_graph

    minter = Minter(BASE)
    return [extraction_to_graph(ex, minter) for ex in extractions()]
