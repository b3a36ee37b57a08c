"""Valid IRIs always (issue 10, item 4).

Whatever text becomes an entity key, a doc id or a label (spaces, quotes,
<>{}|\\^ and backticks, any Unicode including astral characters and
right-to-left scripts), the IRIs kgbuild.rdf.iris.Minter mints must be
accepted by rdflib, Oxigraph and raptor's rapper, and labels and literals
must come back unchanged from every serialisation.

No spaCy model is needed: records are built by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef

from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.namespaces import DEFAULT_BASE
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Article, Entity, Event, Extraction, Mention, Span

RAPPER = shutil.which("rapper")
NASTY = ' "quoted" <angle> {curly} |pipe| back\\slash ^caret `tick` #hash ?q %25 /slash'
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text that can be in an article: st.text() never draws surrogates, and
# st.characters() is told not to (ingest turns a lone surrogate into U+FFFD:
# no RDF syntax can carry one).  The second alphabet is dense in
# the characters that break IRIs and literals (ASCII punctuation and
# controls, bidi marks, combining marks, astral characters).
_NASTY_CHARS = st.sampled_from(
    list(" \"'<>{}|\\^`#?%/&;=+:@[]\t\n\r\x00\x01\x1f\x7f")
    + ["\u0301", "\u200f", "\u202e", "\u2028", "\ufeff", "\ufffd", "\U0001f600", "\U00010348", "\u05e9", "\u0645"]
)
any_text = st.one_of(
    st.text(), st.text(alphabet=st.one_of(_NASTY_CHARS, st.characters(exclude_categories=("Cs",))), min_size=1)
)


def minted(minter: Minter, text: str) -> list[URIRef]:
    """Every kind of IRI the Minter makes, with `text` in each slot."""
    return [
        minter.doc(text),
        minter.graph(text),
        minter.span(text, 0, 7),
        minter.entity(text),
        minter.event(text, 3, 9),
        minter.statement(text, text, "opposes", text, 0, 12),
        minter.time(text),
        minter.run(text),
    ]


def rapper_check(path: Path, syntax: str) -> None:
    """rapper parses the file without error or warning (skipped if absent)."""
    if RAPPER is None:
        return
    r = subprocess.run([RAPPER, "-i", syntax, "-c", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "Error" not in r.stderr and "Warning" not in r.stderr, r.stderr


# --------------------------------------------------------------------------
# Minted IRIs
# --------------------------------------------------------------------------


@PROPERTY
@given(texts=st.lists(any_text, min_size=1, max_size=6))
@example(texts=[NASTY])
@example(texts=["", " ", "مرحبا بالعالم", "e\u0301", "\U0001f600\U00010348", "שלום \u202eevil"])
def test_iris_minted_from_any_text_are_accepted_by_every_parser(tmp_path_factory, texts):
    minter = Minter()
    iris = [iri for text in texts for iri in minted(minter, text)]
    for iri in iris:
        ox.NamedNode(str(iri))  # raises ValueError on an invalid IRI
        assert str(iri).startswith(DEFAULT_BASE)
        assert not set(str(iri)) & set(' "<>{}|\\^`\n\r\t')

    g = Graph()
    pred = URIRef(DEFAULT_BASE + "p")
    for iri, other in zip(iris, iris[1:] + iris[:1]):
        g.add((iri, pred, other))
    data = serialize([g], "nt")

    back = Graph().parse(data=data.decode("utf-8"), format="nt")
    assert set(back) == set(g)
    ox_subjects = {q.subject.value for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)}
    assert ox_subjects == {str(iri) for iri in iris}

    path = tmp_path_factory.mktemp("iris") / "batch.nt"
    path.write_bytes(data)
    rapper_check(path, "ntriples")


@PROPERTY
@given(text=any_text)
def test_iris_are_deterministic_and_distinct_per_text(text):
    a, b = Minter(), Minter()
    assert minted(a, text) == minted(b, text)
    assert a.entity(text) != a.entity(text + "x")


@pytest.mark.parametrize("base", ["http://example.org/kg", "urn:kg:", "https://例え.jp/グラフ/"])
def test_iris_with_unusual_but_valid_bases(base):
    for iri in minted(Minter(base), NASTY):
        ox.NamedNode(str(iri))


def test_iris_base_with_fragment_is_refused():
    # span IRIs are <doc#char=b,e>: a base with '#' would give two fragments
    from kgbuild.errors import UsageError

    with pytest.raises(UsageError, match="must not contain '#'"):
        Minter("file:///tmp/kg#")


# --------------------------------------------------------------------------
# Labels and literals through the real RDF conversion
# --------------------------------------------------------------------------


def hand_made_extraction(text: str, doc_id: str = 'doc 1 "odd"') -> Extraction:
    """One article whose text, title, entity key, label and quote are all `text`."""
    body = text or "x"
    end = len(body)
    mention = Mention(0, end, body, "PERSON", body, 0, extractor="hand")
    person = Entity(key=body, label=body, cls="Person", coarse="PERSON", mentions=(mention,), aliases=(body + "'",))
    event = Event(
        trigger=Span(0, end, body), cls="Airstrike", coarse="Attack", sentence=0, quote=body, extractor="hand"
    )
    article = Article(doc_id=doc_id, text=body, title=body, url="https://example.org/a?b=c&d=<e>", source="hand")
    return Extraction(article=article, sentences=(Span(0, end, body),), entities=(person,), events=(event,))


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(t) -> tuple[str, ...]:
    """A comparable form of an rdflib term: value, plus language or datatype for literals."""
    if isinstance(t, Literal):
        return (str(t), t.language or str(t.datatype or XSD_STRING))
    return (str(t),)


def ox_term(t) -> tuple[str, ...]:
    if isinstance(t, ox.Literal):
        return (t.value, t.language or t.datatype.value)
    return (t.value,)


def _parse_with_rdflib(data: bytes, fmt: str) -> set[tuple]:
    if fmt in ("nq", "trig", "jsonld"):  # named graphs
        ds = Dataset()
        ds.parse(data=data.decode("utf-8"), format={"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
        triples = ((s, p, o) for s, p, o, _ in ds.quads())
    else:
        triples = iter(Graph().parse(data=data.decode("utf-8"), format={"ttl": "turtle", "nt": "nt"}[fmt]))
    return {(str(s), str(p), rdflib_term(o)) for s, p, o in triples}


_OX_FORMAT = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}


# Characters str.splitlines() treats as line ends besides \n and \r: a writer
# that splits its output into lines with splitlines() breaks literals holding them.
SPLITLINES_EXTRA = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def check_round_trip(tmp_path_factory, text: str, fmt: str) -> None:
    ex = hand_made_extraction(text)
    graph = extraction_to_graph(ex, Minter())
    expected = {(str(s), str(p), rdflib_term(o)) for s, p, o in graph}
    body = ex.article.text
    assert (str(Minter().entity(body)), "http://www.w3.org/2000/01/rdf-schema#label", (body, "en")) in expected
    data = serialize([graph], fmt)
    assert _parse_with_rdflib(data, fmt) == expected
    got = {(q.subject.value, q.predicate.value, ox_term(q.object)) for q in ox.parse(data, format=_OX_FORMAT[fmt])}
    assert got == expected
    if fmt in _RAPPER_SYNTAX:
        path = tmp_path_factory.mktemp("fmt") / f"graph.{fmt}"
        path.write_bytes(data)
        rapper_check(path, _RAPPER_SYNTAX[fmt])


FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]


@pytest.mark.parametrize("fmt", FORMATS)
@PROPERTY
@given(text=any_text)
@example(text=NASTY)
@example(text='"""\'\'\' \\" \\u0041 \\n ends with a quote"')
@example(text="line one\r\nline two\r\x00\x01\x1f\x7f tab\t")
def test_iris_labels_and_literals_round_trip_every_format(tmp_path_factory, fmt, text):
    check_round_trip(tmp_path_factory, text, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("char", list(SPLITLINES_EXTRA), ids=lambda c: f"U+{ord(c):04X}")
def test_iris_literals_with_unicode_line_separators_round_trip(tmp_path_factory, char, fmt):
    # U+2028 and U+2029 survive ingest (kgbuild.ingest.normalize_text keeps them),
    # so real article text can carry them into nif:isString.
    check_round_trip(tmp_path_factory, f"first line{char}second line", fmt)
