"""`kgbuild story`: each article's events in text order, and the ACLED columns that share its casualty counts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pyoxigraph as ox
import pytest

from conftest import needs_model
from kgbuild.analysis import acled, story
from kgbuild.analysis import network as analysis
from kgbuild.rdf.convert import extraction_to_graph
from kgbuild.rdf.serialize import serialize
from kgbuild.records import Argument, Article, Entity, Event, Extraction, Mention, Span
from kgbuild.store.sparql import load_file
from toy_graph import NASTY, run_cli, toy_store, write_toy_graph

TEXT = "Gunmen killed 13 civilians in Mosul. Protesters marched in Mosul."


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def casualty_graph(folder):
    """One article: a killing whose victims are a counted group, and a protest (ACLED's inter code 6)."""
    sentences = (Span(0, 36, TEXT[:36]), Span(37, len(TEXT), TEXT[37:]))

    def mention(needle, key, coarse, sentence):
        return Mention(*_span(needle), needle, coarse, key, sentence)

    def arg(role, needle, key):
        return Argument(role, *_span(needle), needle, key)

    entities = (
        Entity(
            "doc:gunmen",
            "gunmen",
            "PeopleGroup",
            "PERSON",
            (mention("Gunmen", "doc:gunmen", "PERSON", 0),),
            doc_scoped=True,
        ),
        Entity(
            "doc:civilians",
            "13 civilians",
            "PeopleGroup",
            "PERSON",
            (mention("13 civilians", "doc:civilians", "PERSON", 0),),
            doc_scoped=True,
            count=13,
        ),
        Entity(
            "mosul",
            "Mosul",
            "PopulatedPlace",
            "GPE",
            (mention("Mosul", "mosul", "GPE", 0),),
            geonames="99072",
            lat=36.335,
            lon=43.11889,
        ),
        Entity(
            "doc:protesters",
            "protesters",
            "PeopleGroup",
            "PERSON",
            (mention("Protesters", "doc:protesters", "PERSON", 1),),
            doc_scoped=True,
        ),
    )
    events = (
        Event(
            Span(*_span("killed"), "killed"),
            "Killing",
            "Killing/Death",
            0,
            (
                arg("agent", "Gunmen", "doc:gunmen"),
                arg("target", "13 civilians", "doc:civilians"),
                arg("place", "Mosul", "mosul"),
            ),
            date="2017-08-30",
            date_precision="day",
        ),
        Event(
            Span(*_span("marched"), "marched"),
            "Protest",
            "Other",
            1,
            (arg("agent", "Protesters", "doc:protesters"),),
            confidence=0.3,
        ),
    )
    ex = Extraction(Article("cas-1", TEXT, title="Casualties", date="2017-08-31"), sentences, entities, events, ())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "graph.nq"
    path.write_bytes(serialize([extraction_to_graph(ex)], "nq"))
    return load_file(path)


@pytest.fixture()
def data(tmp_path):
    return analysis.load(toy_store(tmp_path / "graph"))


def test_events_in_text_order_with_who_did_what(data):
    [article] = story.story(data)
    assert article.title == "Toy article"
    actions = [(r.agent, r.action, r.target) for r in article.rows]
    assert actions[0] == ("US-led coalition", "airstrike (struck)", "Islamic State")
    assert actions[1][:2] == ("Ryan Dillon", "statement (said)")
    assert ("Ryan Dillon", "attack (cratered)", "the road") in actions
    # "Jets bombed the area": no agent, target, place nor day... but a month date, so it stays.
    assert article.rows[-1].action == "bombing (bombed)"
    assert article.rows[0].place == "Albu Kamal" and article.rows[0].date == "2017-08-30"
    begins = {e.iri: e.begin for e in data.events}
    assert [begins[r.event] for r in article.rows] == sorted(begins[r.event] for r in article.rows)


def test_generic_and_weak_events_are_folded_and_counted(tmp_path):
    data = analysis.load(casualty_graph(tmp_path / "g"))
    [article] = story.story(data)
    assert [r.action for r in article.rows] == ["killing (killed)"]
    assert (article.folded_generic, article.folded_low_confidence) == (0, 1)
    assert "1 events folded away (0 generic, 1 low-confidence)" in story.render([article], "table")
    [everything] = story.story(data, fold=False)
    assert len(everything.rows) == 2 and everything.folded == 0
    undated = dataclasses.replace(data.events[0], date=None, roles=())
    assert story.is_generic(undated)


def test_casualties_from_counted_victims_or_stated_counts(tmp_path):
    data = analysis.load(casualty_graph(tmp_path / "g"))
    [row] = story.story(data)[0].rows
    assert (row.agent, row.target, row.place, row.casualties) == ("gunmen", "13 civilians", "Mosul", "13 killed")
    stated = dataclasses.replace(data.events[0], killed=2, injured=5)
    assert story.casualties(data, stated) == "2 killed, 5 injured"
    negated = dataclasses.replace(data.events[0], modality="negated")
    assert story.casualties(data, negated) == ""


def test_acled_columns_from_gazetteer_and_actor_data(tmp_path):
    data = analysis.load(casualty_graph(tmp_path / "g"))
    rows = {r["event_class"]: r for r in acled.event_rows(data)}
    killing = rows["Killing"]
    assert (killing["event_type"], killing["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert (killing["actor1"], killing["inter1"], killing["actor2"], killing["inter2"]) == (
        "gunmen",
        "3",
        "13 civilians",
        "7",
    )
    assert (killing["interaction"], killing["civilian_targeting"], killing["fatalities"]) == (
        "37",
        "Civilian targeting",
        "13",
    )
    assert (killing["country"], killing["iso"], killing["location"], killing["geo_precision"]) == (
        "Iraq",
        "368",
        "Mosul",
        "1",
    )
    assert killing["time_precision"] == "1"
    protest = rows["Protest"]
    assert (protest["inter1"], protest["interaction"], protest["fatalities"]) == ("6", "60", "")
    assert (protest["event_date"], protest["time_precision"]) == ("2017-08-31", "2")  # dated by its article


def test_inter_codes_are_data():
    codes = acled.actor_codes()
    assert set(codes["by_actor_class"].values()) <= set(range(1, 9))
    assert codes["by_actor_class"]["MilitaryForce"] == 1 and codes["by_actor_class"]["ArmedGroup"] == 2


def test_a_general_attack_takes_the_code_of_the_specific_one_it_refers_to(data):
    rows = {r["notes"]: r for r in acled.event_rows(data)}
    cratered = rows["Ryan Dillon → the road: attack (cratered)"]
    assert (cratered["event_class"], cratered["sub_event_type"]) == ("Attack", "Air/drone strike")
    assert acled.class_code("Attack", "acled") == "Battles / Armed clash"  # the class itself keeps its code


@pytest.mark.parametrize("fmt", story.FORMATS)
def test_every_format_is_deterministic_and_keeps_text_as_text(data, tmp_path, fmt):
    first = story.render(story.story(data, fold=False), fmt)
    again = story.render(story.story(analysis.load(toy_store(tmp_path / "again")), fold=False), fmt)
    assert first == again
    if fmt == "json":
        rows = [r for s in json.loads(first) for r in s["rows"]]
        assert any(r["agent"] == NASTY for r in rows)
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(first)))
        assert list(rows[0]) == list(story.CSV_COLUMNS) and any(r["agent"] == NASTY for r in rows)
    elif fmt == "md":
        assert "| date | agent | action |" in first and "hello {world}" in first
    else:
        assert "airstrike" in first and "Toy article" in first


def test_markdown_cells_cannot_break_the_table_or_become_html():
    assert story.md_cell("a | b <script>x</script>\nc") == "a \\| b &lt;script&gt;x&lt;/script&gt; c"


def test_cli_story_on_a_file_a_build_directory_and_a_store(tmp_path, monkeypatch, capsys):
    path = write_toy_graph(tmp_path / "build")
    store_dir = tmp_path / "store"
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    outputs = []
    for source in (str(path), str(path.parent), str(store_dir)):
        code, out, err = run_cli(monkeypatch, capsys, "story", source, "--format", "csv")
        assert code == 0, err
        outputs.append(out)
    assert outputs[0] == outputs[1] == outputs[2] and "airstrike (struck)" in outputs[0]
    code, out, _ = run_cli(monkeypatch, capsys, "story", str(path))
    assert code == 0 and "Toy article" in out and "Ryan Dillon" in out


def test_cli_story_bad_input_is_a_clear_error(tmp_path, monkeypatch, capsys):
    path = write_toy_graph(tmp_path / "build")
    code, _, err = run_cli(monkeypatch, capsys, "story", str(path), "--format", "xlsx")
    assert code != 0 and "unknown story format" in err and "Traceback" not in err
    code, _, err = run_cli(monkeypatch, capsys, "story", str(tmp_path / "missing.ttl"))
    assert code != 0 and "no such file" in err and "Traceback" not in err


def test_empty_graph_has_no_story():
    assert story.story(analysis.load(ox.Store())) == []
    assert story.render([], "csv") == ",".join(story.CSV_COLUMNS) + "\n"


@needs_model
def test_sample_story_tells_the_strikes_and_the_deal_in_order(sample_store):
    [article] = story.story(analysis.load(sample_store))
    actions = [r.action for r in article.rows]
    first_strike = next(i for i, a in enumerate(actions) if a.startswith("airstrike"))
    deal = next(i for i, a in enumerate(actions) if a.startswith("evacuation deal"))
    assert first_strike < deal
    assert any(r.agent == "US-led coalition" and "road" in r.target for r in article.rows)
    assert article.folded > 0


def test_casualty_figures_on_the_event_are_read(tmp_path):
    """The figures as the events writer states them: kgb:casualties -> [kind, rdf:value]."""
    casualty_graph(tmp_path / "g")
    path = tmp_path / "g" / "graph.nq"
    data = analysis.load(load_file(path))
    killing = next(e for e in data.events if e.event_class == "Killing")
    kgb, rdf = "https://w3id.org/kgbuild/ontology#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    lines = []
    for kind, n in (("killed", 9), ("injured", 4)):
        figure = f"<{killing.iri}/casualties/{kind}>"
        lines += [
            f"<{killing.iri}> <{kgb}casualties> {figure} .",
            f'{figure} <{kgb}casualtyKind> "{kind}" .',
            f'{figure} <{rdf}value> "{n}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger> .',
        ]
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    data = analysis.load(load_file(path))
    killing = next(e for e in data.events if e.event_class == "Killing")
    assert (killing.killed, killing.injured) == (9, 4)
    assert story.casualties(data, killing) == "9 killed, 4 injured"  # stated figures win over counted victims
    [row] = [r for r in acled.event_rows(data) if r["event_class"] == "Killing"]
    assert row["fatalities"] == "9"
    from kgbuild.viz import render_path

    assert "9 killed, 4 injured" in render_path(path, title="t")


def test_event_table_is_byte_identical_for_the_same_graph(tmp_path):
    from kgbuild.analysis import export

    first = export.events_csv(analysis.load(toy_store(tmp_path / "a")))
    assert first == export.events_csv(analysis.load(toy_store(tmp_path / "b")))
