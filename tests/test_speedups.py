"""The speed-ups of issue 9 give the same answers as the plain code they replace.

- the gazetteer's SQLite tiers answer like the in-memory index they were written from, and the
  index itself no longer depends on the string hash seed;
- the actor ruler's phrase matchers built from cached alias tokens match like matchers built
  from make_doc;
- kgbuild_line_breaks, the token tables of the event steps and doc_text agree with the
  token-by-token definitions.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, model_installed, needs_model

NAMES = [
    "Aleppo",
    "Deir ez-Zor",
    "Deir al-Zour",
    "Dayr az Zawr",
    "Tripoli",
    "Raqqa",
    "Kherson region",
    "Odessa",
    "Bethlehem",
    "Hamas",
    "Police",
    "Zaporozhye",
    "Albu Kamal",
    "Al Bukamal",
    "Ines Moreau",
    "SANA",
    "Sana",
    "Varga",
    "the Hague",
    "Mosul",
    "Idlib province",
    "Kyiv",
    "Kiev",
    "White House",
    "Springfield",
    "",
]


def _answers(code: str, env: dict) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT
    ).stdout


_LOOKUPS = (
    "import kgbuild.kb.gazetteer as g, kgbuild.kb.sources as s; names = %r; "
    "print([(g.lookup(n), g.lookup(n, extended=False), g.candidates(n), g.lookup(n, prefer=('US', 'LB'))) "
    "for n in names]); print(type(s.primary_tier()).__name__)"
) % (NAMES,)


@pytest.mark.slow
def test_disk_tiers_answer_like_the_memory_index(tmp_path):
    """Same answers from the SQLite files (built, then read by a second process) as from memory,
    under different hash seeds."""
    cached = {"KGBUILD_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": "1"}
    first = _answers(_LOOKUPS, cached)  # builds and writes the files
    assert first.splitlines()[-1] == "DiskIndex"
    assert sorted(p.suffix for p in tmp_path.glob("gazetteer-*")) == [".sqlite", ".sqlite"]
    again = _answers(_LOOKUPS, {**cached, "PYTHONHASHSEED": "2"})  # reads them
    memory = _answers(_LOOKUPS, {"KGBUILD_NO_CACHE": "1", "PYTHONHASHSEED": "3"})
    assert first == again
    assert first.splitlines()[0] == memory.splitlines()[0]
    assert memory.splitlines()[-1] == "Index"


def test_a_broken_tier_file_is_rebuilt(tmp_path, monkeypatch):
    from kgbuild.kb import index as gazetteer

    monkeypatch.setenv("KGBUILD_CACHE_DIR", str(tmp_path))
    path = tmp_path / f"gazetteer-unit-{gazetteer._fingerprint()}.sqlite"
    path.write_bytes(b"not a database")
    built = []

    def build():
        built.append(1)
        index = gazetteer.Index()
        i = index.new_place(("x", "Xville", "PopulatedPlace", "XX", 1.5, 2, "7"), (2, 10))
        index.add("xville", i, (2, 10))
        return index.freeze()

    tier = gazetteer.load_tier("unit", build)
    assert built == [1] and isinstance(tier, gazetteer.DiskIndex)
    assert tier.find("xville", "xville") == gazetteer.Place("x", "Xville", "PopulatedPlace", "XX", 1.5, 2, "7")
    assert tier.find("nowhere", "nowhere") is None
    assert tier.places == [("x", "Xville", "PopulatedPlace", "XX", 1.5, 2, "7")]
    assert gazetteer.load_tier("unit", build).find_all("xville", "xville")[0].id == "x" and built == [1]


@pytest.fixture(scope="module")
def nlp():
    if not model_installed():
        pytest.skip("spaCy pipeline not installed")
    from kgbuild.nlp import load_pipeline

    return load_pipeline()


TEXTS = [
    "The U.S.-led coalition said on Monday it struck Islamic State positions near Raqqa.\n\nREUTERS\n",
    "Hamas and Hezbollah denied it.  The SDF, backed by Washington, advanced. @CENTCOM #StateDept",
    "\n\nHeadline without a stop\nBody text follows here, and the iPhone 4 sold well in the U.K.\r\n",
    "x",
    "",
]


@needs_model
def test_alias_matchers_match_like_make_doc_patterns(nlp, tmp_path, monkeypatch):
    from spacy.matcher import PhraseMatcher

    from kgbuild.extract.entities import alias_tokens

    monkeypatch.setenv("KGBUILD_CACHE_DIR", str(tmp_path))
    exact = ("US", "SDF", "IS", "U.S.")
    lower = ("islamic state", "u.s.-led coalition", "hezbollah", "the pentagon", "state dept", "hamas")
    fresh = alias_tokens(nlp, exact, lower)
    cached = alias_tokens(nlp, exact, lower)  # read back from the file
    assert list(tmp_path.glob("actor-tokens-*.json")) and fresh == cached
    for attr, texts, tokens in (("ORTH", exact, cached["exact"]), ("LOWER", lower, cached["lower"])):
        plain, fast = PhraseMatcher(nlp.vocab, attr=attr), PhraseMatcher(nlp.vocab, attr=attr)
        for n, text in enumerate(texts):
            plain.add(f"a{n}", [nlp.make_doc(text)])
            fast.add(f"a{n}", [[nlp.vocab.strings.add(t) for t in tokens[text]]])
        for text in TEXTS:
            doc = nlp.make_doc(text)
            assert plain(doc) == fast(doc), text


@needs_model
def test_line_breaks_and_token_tables_agree_with_tokens(nlp):
    from kgbuild.extract import doc_text
    from kgbuild.extract._events.context import lemma_of, coarse_pos, Tokens
    from kgbuild.extract.sentences import line_breaks

    for text in TEXTS:
        doc = nlp.make_doc(text)
        expected = [False] * len(doc)
        for i, token in enumerate(doc[:-1]):
            if "\n" in token.text_with_ws:
                expected[i + 1] = True
        line_breaks(doc)
        assert [t.is_sent_start is True for t in doc][1:] == expected[1:], text
        doc = nlp(text)
        assert doc_text(doc) == doc.text == text
        table = Tokens.of(doc)
        assert table.lemma == [lemma_of(t) for t in doc]
        assert table.lower == [t.lower_ for t in doc]
        assert table.pos == [coarse_pos(t) for t in doc]
        assert table.punct == [t.is_punct for t in doc] and table.space == [t.is_space for t in doc]
        assert table.idx == [t.idx for t in doc]
        assert table.newline == ["\n" in t.text_with_ws for t in doc]
