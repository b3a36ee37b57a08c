"""A small hand-made graph for the query, analysis and export tests.

Built from kgbuild.records and converted by the real RDF writer, so the tests
need no spaCy model and exercise the same triples `kgbuild build` writes.
One actor has a hostile label (quotes, braces, a SPARQL fragment) on purpose.
"""

from __future__ import annotations

from pathlib import Path

from kgbuild.rdf.convert import extraction_to_graph
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Relation, Span
from kgbuild.store.sparql import load_file

NASTY = 'x" } ; DROP ALL ; #'

SENTENCES = (
    "The coalition struck Islamic State near Albu Kamal.",
    'Ryan Dillon said "we cratered the road" on Tuesday.',
    "Hizballah negotiated with IS.",
    "Hizballah opposes Islamic State.",
    f'{NASTY} said "hello {{world}}".',
    "Jets bombed the area.",
)
TEXT = " ".join(SENTENCES)


def _sentence_spans() -> tuple[Span, ...]:
    spans, start = [], 0
    for s in SENTENCES:
        spans.append(Span(start, start + len(s), s))
        start += len(s) + 1
    return tuple(spans)


SPANS = _sentence_spans()


def _at(sentence: int, needle: str) -> tuple[int, int]:
    """Offsets of `needle` inside sentence `sentence` of TEXT."""
    start = TEXT.index(needle, SPANS[sentence].start)
    return start, start + len(needle)


def _mention(sentence: int, needle: str, entity: str, coarse: str) -> Mention:
    b, e = _at(sentence, needle)
    return Mention(b, e, needle, coarse, entity, sentence)


def _entities() -> tuple[Entity, ...]:
    return (
        Entity(
            "coalition",
            "US-led coalition",
            "Coalition",
            "ORGANIZATION",
            (_mention(0, "coalition", "coalition", "ORGANIZATION"),),
            aliases=("the coalition",),
        ),
        Entity(
            "islamic-state",
            "Islamic State",
            "ArmedGroup",
            "ORGANIZATION",
            (
                _mention(0, "Islamic State", "islamic-state", "ORGANIZATION"),
                _mention(2, "IS", "islamic-state", "ORGANIZATION"),
            ),
            aliases=("ISIS",),
        ),
        Entity(
            "albu-kamal",
            "Albu Kamal",
            "PopulatedPlace",
            "GPE",
            (_mention(0, "Albu Kamal", "albu-kamal", "GPE"),),
            lat=34.45,
            lon=40.92,
        ),
        Entity(
            "ryan-dillon",
            "Ryan Dillon",
            "Person",
            "PERSON",
            (_mention(1, "Ryan Dillon", "ryan-dillon", "PERSON"),),
            aliases=("Dillon",),
        ),
        Entity(
            "doc:road",
            "the road",
            "Facility",
            "LOCATION",
            (_mention(1, "the road", "doc:road", "LOCATION"),),
            doc_scoped=True,
        ),
        Entity(
            "hizballah",
            "Hizballah",
            "ArmedGroup",
            "ORGANIZATION",
            (_mention(2, "Hizballah", "hizballah", "ORGANIZATION"),),
        ),
        Entity("nasty", NASTY, "Person", "PERSON", (_mention(4, NASTY, "nasty", "PERSON"),)),
    )


def _arg(role: str, sentence: int, needle: str, entity: str, fine: str | None = None) -> Argument:
    b, e = _at(sentence, needle)
    return Argument(role, b, e, needle, entity, fine)


def _event(sentence: int, trigger: str, cls: str, coarse: str, args, **kw) -> Event:
    b, e = _at(sentence, trigger)
    return Event(Span(b, e, trigger), cls, coarse, sentence, tuple(args), **kw)


def _events() -> tuple[Event, ...]:
    return (
        _event(
            0,
            "struck",
            "Airstrike",
            "Attack",
            [
                _arg("agent", 0, "coalition", "coalition"),
                _arg("target", 0, "Islamic State", "islamic-state"),
                _arg("place", 0, "Albu Kamal", "albu-kamal"),
            ],
            cameo="195",
            acled="Explosions/Remote violence / Air/drone strike",
            date="2017-08-30",
            date_precision="day",
            confidence=0.9,
        ),
        _event(
            1,
            "said",
            "Statement",
            "Statement/Criticism",
            [_arg("agent", 1, "Ryan Dillon", "ryan-dillon", "speaker")],
            cameo="010",
            quote="we cratered the road",
            date="2017-08-30",
            confidence=0.8,
        ),
        _event(
            1,
            "cratered",
            "Attack",
            "Attack",
            [_arg("agent", 1, "Ryan Dillon", "ryan-dillon"), _arg("target", 1, "the road", "doc:road")],
            date="2017-08-30",
            acled="Battles / Armed clash",
            cameo="190",
        ),
        _event(
            2,
            "negotiated",
            "Negotiation",
            "Negotiation",
            [_arg("agent", 2, "Hizballah", "hizballah"), _arg("other", 2, "IS", "islamic-state")],
            date="2017-08-29",
            modality="reported",
        ),
        _event(
            4,
            "said",
            "Statement",
            "Statement/Criticism",
            [_arg("agent", 4, NASTY, "nasty", "speaker")],
            quote="hello {world}",
        ),
        _event(5, "bombed", "Bombing", "Attack", [], date="2017-08"),
    )


def _relations() -> tuple[Relation, ...]:
    def rel(s, p, o, sentence):
        return Relation(s, p, o, SPANS[sentence].start, SPANS[sentence].end, sentence, confidence=0.7)

    return (
        rel("coalition", "struck", "islamic-state", 0),
        rel("hizballah", "negotiatedWith", "islamic-state", 2),
        rel("hizballah", "opposes", "islamic-state", 3),
        rel("ryan-dillon", "spokespersonOf", "coalition", 1),
    )


def toy_extraction() -> Extraction:
    article = Article("toy-1", TEXT, title="Toy article", date="2017-08-30", url="https://example.org/toy")
    return Extraction(article, SPANS, _entities(), _events(), _relations())


def write_toy_graph(folder: Path) -> Path:
    """The toy article as N-Quads in `folder` (as `kgbuild build` would write it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "graph.nq"
    path.write_bytes(serialize([extraction_to_graph(toy_extraction())], "nq"))
    return path


def toy_store(folder: Path):
    return load_file(write_toy_graph(folder))


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """Run `kgbuild ARGS` in-process as a user would: (exit code, stdout, stderr)."""
    import sys

    from kgbuild.cli import main

    monkeypatch.setattr(sys, "argv", ["kgbuild", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


def cli_has(command: str, option: str | None = None) -> bool:
    """Whether kgbuild.cli already offers `command` (and `option`): issue 8's
    commands are pasted into kgbuild/cli/ by the lead, so their tests wait for them."""
    import inspect

    from kgbuild import cli

    for c in cli.app.registered_commands:
        name = c.name or c.callback.__name__
        if name == command:
            return option is None or option in inspect.signature(c.callback).parameters
    return False
