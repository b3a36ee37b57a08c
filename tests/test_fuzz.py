"""Fuzzing the whole pipeline (issue 10, item 7).

Hypothesis mutates a few news-like paragraphs (inserts random Unicode,
quotes, brackets, HTML and bidi controls; deletes, repeats and truncates;
shuffles sentences) and pushes each result through everything a build does
to an article: ingest from a file, extraction (kgbuild.run.pipeline.extract_one),
RDF conversion, every serialisation, annotations.jsonl and the viewer.  The
only exception allowed is a documented InputError from ingest.

Invariants checked on every example: each mention, trigger and argument text
equals text[start:end] with offsets in bounds; the N-Quads and Turtle parse
back in Oxigraph; the annotation line is valid JSON that round-trips.

CI runs KGBUILD_FUZZ_EXAMPLES examples (default 40); a longer local run:
    KGBUILD_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os

import pyoxigraph as ox
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import needs_model
from kgbuild.errors import InputError
from kgbuild.ingest import read_articles
from kgbuild.rdf import Minter, extraction_to_graph
from kgbuild.rdf.serialize import formats, serialize, union

EXAMPLES = int(os.environ.get("KGBUILD_FUZZ_EXAMPLES", "40"))

PARAGRAPHS = [
    "BEIRUT, Aug. 30 (Wire) - Hizballah fighters escorted a convoy of 17 buses carrying Islamic State militants "
    "and their families out of the Qalamoun mountains on Tuesday, a Lebanese army spokesman said. "
    "The United States criticised the deal.",
    "Government troops shelled rebel positions near the northern city of Aleppo overnight, killing at least nine "
    'civilians, according to the Syrian Observatory for Human Rights. "We will not stop," a commander told reporters.',
    "Ministers from France and Germany met their Ukrainian counterpart in Kyiv on 14 March 2022 to negotiate a "
    "ceasefire; talks ended without agreement.",
    "Police evacuated 2,300 residents from Mosul's old city after Iraqi forces launched an offensive against IS "
    "positions along the Tigris river. Mr. al-Abadi said the U.S.-led coalition carried out 12 airstrikes.",
]

SNIPPETS = [
    '"',
    "'",
    "\u00ab",
    "\u00bb",
    "\u201c",
    "\u201d",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "&",
    "<b>",
    "</p>",
    "<p>",
    "<br/>",
    "<script>alert(1)</script>",
    "<style>p{}</style>",
    "<!--",
    "-->",
    "&amp;",
    "&#x202e;",
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u0301",
    "e\u0301",
    "\U0001f600",
    "\U0001f1fa\U0001f1f8",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "...",
    " -- ",
    "U.S.",
    "Mr.",
    "  ",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\\",
    "`",
    "^",
    "|",
    "#",
    "%20",
    "?",
    "@en",
    '"""',
    "^^xsd:string",
]

random_text = st.text(max_size=12)


@st.composite
def mutated_text(draw) -> str:
    text = draw(st.sampled_from(PARAGRAPHS))
    if draw(st.booleans()):
        text += "\n\n" + draw(st.sampled_from(PARAGRAPHS))
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["insert", "snippet", "delete", "repeat", "shuffle", "truncate", "case", "replace"]))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:pos] + draw(random_text) + text[pos:]
        elif op == "snippet":
            text = text[:pos] + draw(st.sampled_from(SNIPPETS)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 40)) :]
        elif op == "repeat":
            end = min(len(text), pos + draw(st.integers(1, 30)))
            text = text[:end] + text[pos:end] * draw(st.integers(1, 20)) + text[end:]
        elif op == "shuffle":
            sentences = text.split(". ")
            text = ". ".join(draw(st.permutations(sentences)))
        elif op == "truncate":
            text = text[:pos]
        elif op == "case":
            text = text.upper() if draw(st.booleans()) else text.lower()
        else:
            text = draw(st.text(max_size=200))
    return text


def check_offsets(doc: dict) -> None:
    text = doc["text"]
    n = len(text)

    def span(start: int, end: int, got: str | None, what) -> None:
        assert 0 <= start <= end <= n, (what, start, end, n)
        if got is not None:
            assert text[start:end] == got, (what, text[start:end], got)

    for m in doc["entities"]:
        assert m["start"] < m["end"], m
        span(m["start"], m["end"], m["text"], m)
    for ev in doc["events"]:
        span(ev["trigger"]["start"], ev["trigger"]["end"], ev["trigger"]["text"], ev)
        for a in ev["arguments"]:
            span(a["start"], a["end"], a["text"], a)
    for r in doc["relations"]:
        span(r["start"], r["end"], None, r)


def through_the_pipeline(article) -> None:
    """Everything `kgbuild build` does to one article, with the invariants."""
    from kgbuild.run.annotations import dumps
    from kgbuild.run.pipeline import extract_one
    from kgbuild.viz import render_graph

    ex = extract_one(article)
    assert ex.article == article
    for s in ex.sentences:
        assert 0 <= s.start <= s.end <= len(article.text) and article.text[s.start : s.end] == s.text
    for e in ex.entities:
        for m in e.mentions:
            assert article.text[m.start : m.end] == m.text, m
    line = dumps(ex)
    assert "\n" not in line
    doc = json.loads(line)
    assert doc["text"] == article.text
    check_offsets(doc)

    graph = extraction_to_graph(ex, Minter())
    data = {fmt: serialize([graph], fmt) for fmt in formats()}
    quads = list(ox.parse(data["nq"], format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(graph)
    ox.parse(data["ttl"], format=ox.RdfFormat.TURTLE)
    text_literals = [q.object.value for q in quads if q.predicate.value.endswith("#isString")]
    assert text_literals == [article.text]
    page = render_graph(union([graph]), title=article.title)
    assert "<script>alert(1)</script>" not in page


@needs_model
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(
    text=mutated_text(),
    suffix=st.sampled_from([".txt", ".html", ".md"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
)
def test_fuzz_mutated_articles_through_the_whole_pipeline(tmp_path, text, suffix, encoding):
    path = tmp_path / f"fuzz{suffix}"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    try:
        articles = list(read_articles([path]))
    except InputError as err:
        event(f"input error: {str(err).split(': ', 1)[-1][:40]}")
        return  # documented: empty, binary-looking, undecodable ...
    (article,) = articles
    through_the_pipeline(article)
    event("built")


@needs_model
@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(
        st.fixed_dictionaries({"text": mutated_text()}, optional={"title": random_text, "doc_id": random_text}),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_jsonl_records_through_the_whole_pipeline(tmp_path_factory, records):
    """JSON text is only sanitised in place (offsets of given annotations must stay valid)."""
    path = tmp_path_factory.mktemp("fuzz") / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    errors: list[InputError] = []
    for article in read_articles([path], on_error=errors.append):
        through_the_pipeline(article)
    assert all(isinstance(e, InputError) for e in errors)
