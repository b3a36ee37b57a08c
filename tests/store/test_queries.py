"""The canned query catalogue: its answers, and that parameters are data, not code."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import needs_model
from kgbuild.store import queries
from kgbuild.errors import QueryError, UsageError
from kgbuild.store.queries import list_queries, parse_query_file, run_named
from toy_graph import NASTY, cli_has, run_cli, toy_store, write_toy_graph

SHIPPED = {
    "timeline",
    "events-of-actor",
    "actor-pairs",
    "oppositions",
    "quotes-of-person",
    "evidence",
    "who-struck-what",
}
HOSTILE = (
    NASTY,
    '"',
    "'",
    "\\",
    "}",
    "{ ?s ?p ?o }",
    '" } UNION { ?entity ?p ?name } #',
    "x' } ; DELETE WHERE { ?s ?p ?o } ; #",
    '"""; DROP ALL',
    "<http://evil.example/> } #",
    "\u0000\n\r\t",
)


@pytest.fixture()
def store(tmp_path):
    return toy_store(tmp_path)


def rows(result) -> list[dict]:
    return [dict(zip(result.variables, row)) for row in result.rows]


def param_values(name: str, value: str) -> dict[str, str]:
    """`value` for every parameter the query declares."""
    return {p.name: value for p in queries.get_query(name).params}


# -- the catalogue ---------------------------------------------------------------------


def test_catalogue_lists_the_shipped_queries_with_descriptions():
    listed = list_queries()
    assert {q.name for q in listed} == SHIPPED
    assert [q.name for q in listed] == sorted(q.name for q in listed)
    for q in listed:
        assert q.description and q.sparql.lstrip().startswith("#")
        assert all(p.description for p in q.params)
    declared = {q.name: [(p.name, p.required) for p in q.params] for q in listed}
    assert declared["events-of-actor"] == [("actor", True)]
    assert declared["quotes-of-person"] == [("person", True)]
    assert declared["evidence"] == [("subject", False), ("predicate", False), ("object", False), ("statement", False)]
    assert declared["timeline"] == declared["actor-pairs"] == declared["who-struck-what"] == []


def test_header_parsing():
    q = parse_query_file("# name: q\n# description: d\n# params: a (first, thing), b? (second)\nSELECT * {}\n")
    assert (q.name, q.description) == ("q", "d")
    assert [(p.name, p.description, p.required) for p in q.params] == [
        ("a", "first, thing", True),
        ("b", "second", False),
    ]
    assert q.usage() == "q --param a=… [--param b=…]"
    with pytest.raises(QueryError):
        parse_query_file("# name: q\n# params: nonsense\nSELECT * {}")


def test_unknown_query_name_is_a_query_error_with_a_suggestion(store):
    with pytest.raises(QueryError, match="did you mean 'timeline'"):
        run_named(store, "timelin", {})


def test_missing_and_unknown_parameters_are_usage_errors(store):
    with pytest.raises(UsageError, match="needs --param actor"):
        run_named(store, "events-of-actor", {})
    with pytest.raises(UsageError, match="no parameter 'person'"):
        run_named(store, "events-of-actor", {"actor": "IS", "person": "x"})
    with pytest.raises(UsageError):
        run_named(store, "timeline", {"actor": "IS"})


# -- answers on the hand-made graph -------------------------------------------------------


def test_timeline_orders_events_by_date_with_undated_last(store):
    got = rows(run_named(store, "timeline"))
    assert [r["date"] for r in got] == ["2017-08-01", "2017-08-29", "2017-08-30", "2017-08-30", "2017-08-30", None]
    assert got[0]["date_precision"] == "month" and got[0]["event_class"] == "Bombing"
    strike = next(r for r in got if r["event_class"] == "Airstrike")
    assert strike["agents"] == "US-led coalition" and strike["targets"] == "Islamic State"
    assert strike["places"] == "Albu Kamal" and strike["trigger"] == "struck"
    assert strike["sentence"] == "The coalition struck Islamic State near Albu Kamal."
    assert strike["article"] == "Toy article"


@pytest.mark.parametrize(
    "name", ["Islamic State", "islamic state", "ISIS", "is", "https://example.org/kgbuild/entity/islamic-state"]
)
def test_events_of_actor_matches_labels_alt_labels_any_case_or_the_iri(store, name):
    got = rows(run_named(store, "events-of-actor", {"actor": name}))
    assert [(r["event_class"], r["roles"]) for r in got] == [("Negotiation", "participant"), ("Airstrike", "target")]
    assert got[1]["others"] == "US-led coalition"
    assert "actor" not in run_named(store, "events-of-actor", {"actor": name}).variables  # echo dropped


def test_events_of_actor_does_not_match_substrings(store):
    assert run_named(store, "events-of-actor", {"actor": "Islamic"}).rows == ()


def test_actor_pairs_count_reports_per_relation(store):
    got = {(r["actor1"], r["relation"], r["actor2"]): r["reports"] for r in rows(run_named(store, "actor-pairs"))}
    assert got == {
        ("US-led coalition", "struck", "Islamic State"): "1",
        ("US-led coalition", "Airstrike", "Islamic State"): "1",
        ("Hizballah", "negotiatedWith", "Islamic State"): "1",
        ("Hizballah", "opposes", "Islamic State"): "1",
        ("Ryan Dillon", "spokespersonOf", "US-led coalition"): "1",
        ("Ryan Dillon", "Attack", "the road"): "1",
    }


def test_quotes_of_person(store):
    got = rows(run_named(store, "quotes-of-person", {"person": "dillon"}))
    assert [(r["speaker"], r["quote"], r["date"]) for r in got] == [
        ("Ryan Dillon", "we cratered the road", "2017-08-30")
    ]
    assert got[0]["url"] == "https://example.org/toy"


def test_evidence_of_a_fact_by_labels_or_statement_iri(store):
    got = rows(run_named(store, "evidence", {"subject": "hizballah", "predicate": "opposes", "object": "ISIS"}))
    assert len(got) == 1
    assert got[0]["sentence"] == "Hizballah opposes Islamic State." and got[0]["confidence"] == "0.7"
    by_iri = rows(run_named(store, "evidence", {"statement": got[0]["fact"]}))
    assert by_iri == got
    event_fact = rows(run_named(store, "evidence", {"predicate": "Airstrike"}))
    assert [(r["subject_label"], r["object_label"]) for r in event_fact] == [("US-led coalition", "Islamic State")]
    assert len(rows(run_named(store, "evidence", {}))) == 6  # no filter: every fact


def test_who_struck_what(store):
    got = [(r["attackers"], r["action"], r["target"]) for r in rows(run_named(store, "who-struck-what"))]
    assert got == [
        ("US-led coalition", "Airstrike", "Islamic State"),
        ("Ryan Dillon", "Attack", "the road"),
        ("US-led coalition", "struck", "Islamic State"),
    ]


# -- parameters cannot change the query ------------------------------------------------------


PARAMETERISED = sorted(q.name for q in list_queries() if q.params)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", PARAMETERISED)
def test_hostile_parameter_is_only_data(store, name, value, monkeypatch):
    """Same query text, same columns, no error, store untouched, no match."""
    benign = run_named(store, name, param_values(name, "nobody"))
    size = len(store)
    sent = []
    real = queries.run_query
    monkeypatch.setattr(queries, "run_query", lambda st, text, params: sent.append(text) or real(st, text, params))
    result = run_named(store, name, param_values(name, value))
    assert sent == [queries.get_query(name).sparql]
    assert result.variables == benign.variables
    assert len(store) == size
    if value != NASTY:
        assert result.rows == ()


@pytest.mark.parametrize(
    "name,param", [("events-of-actor", "actor"), ("quotes-of-person", "person"), ("evidence", "subject")]
)
def test_hostile_text_is_matched_literally_as_a_label(store, name, param):
    """An actor really called `x" } ; DROP ALL ; #` is found, like any other."""
    got = rows(run_named(store, name, {param: NASTY.upper()}))
    if name == "evidence":
        assert got == []  # that actor is in no relation
    else:
        assert len(got) == 1 and NASTY in got[0]["sentence"]
    assert len(run_named(store, "timeline").rows) == 6


# -- the command line ------------------------------------------------------------------------

needs_cli = pytest.mark.skipif(
    not cli_has("query", "list_queries"), reason="`kgbuild query --name/--list` not in kgbuild/cli/ yet"
)


@needs_cli
def test_cli_query_list(monkeypatch, capsys):
    code, out, _ = run_cli(monkeypatch, capsys, "query", "--list")
    assert code == 0
    assert all(name in out for name in SHIPPED) and "--param actor=" in out
    code, out, _ = run_cli(monkeypatch, capsys, "query", "--list", "--format", "json")
    assert code == 0 and {q["name"] for q in json.loads(out)} == SHIPPED


@needs_cli
def test_cli_query_by_name_with_params(tmp_path, monkeypatch, capsys):
    graph = str(write_toy_graph(tmp_path))
    code, out, _ = run_cli(
        monkeypatch, capsys, "query", graph, "--name", "events-of-actor", "--param", "actor=ISIS", "-f", "csv"
    )
    assert code == 0
    got = list(csv.DictReader(io.StringIO(out)))
    assert [r["event_class"] for r in got] == ["Negotiation", "Airstrike"]
    code, out, _ = run_cli(
        monkeypatch, capsys, "query", graph, "--name", "events-of-actor", "--param", f"actor={NASTY}", "-f", "json"
    )
    assert code == 0 and json.loads(out)[0]["actor_label"] == NASTY


@needs_cli
@pytest.mark.parametrize(
    "args,code",
    [
        (["--name", "nope"], 7),
        (["--name", "events-of-actor"], 2),
        (["--name", "timeline", "--param", "actor=x"], 2),
        (["--name", "timeline", "SELECT * {}"], 2),
    ],
)
def test_cli_query_errors(tmp_path, monkeypatch, capsys, args, code):
    got, _, err = run_cli(monkeypatch, capsys, "query", str(write_toy_graph(tmp_path)), *args)
    assert got == code and err.startswith("kgbuild: error:")


# -- answers on the sample article (needs the spaCy model) -------------------------------------


@needs_model
def test_sample_timeline_is_dated_and_non_empty(sample_store):
    got = rows(run_named(sample_store, "timeline"))
    assert len(got) >= 5
    assert any(r["date"] == "2017-08-30" for r in got)
    assert any(r["event_class"] == "Airstrike" for r in got)


@needs_model
def test_sample_airstrike_by_the_coalition_on_road_or_bridge(sample_store):
    got = rows(run_named(sample_store, "who-struck-what"))

    def by_us(attackers: str | None) -> bool:
        names = (attackers or "").lower().split("; ")
        return any("coalition" in n or n in ("us", "u.s.", "united states") for n in names)

    hits = [r for r in got if by_us(r["attackers"]) and any(w in r["target"].lower() for w in ("road", "bridge"))]
    assert hits, got


@needs_model
def test_sample_quotes_of_dillon(sample_store):
    got = rows(run_named(sample_store, "quotes-of-person", {"person": "Dillon"}))
    quotes = " ".join(r["quote"] for r in got)
    assert "cratered the road" in quotes or "running tally" in quotes, got
    assert all("Dillon" in r["speaker"] for r in got)


@needs_model
def test_sample_events_of_hizballah(sample_store):
    """ "a week-long Hizballah-led offensive against IS"."""
    got = rows(run_named(sample_store, "events-of-actor", {"actor": "hizballah"}))
    assert any(r["event_class"] in ("MilitaryOffensive", "Battle", "Attack") and "agent" in r["roles"] for r in got), (
        got
    )
    assert len({r["actor_label"] for r in got}) == 1  # one entity, whichever spelling is canonical


@needs_model
def test_sample_actor_pairs_and_their_evidence(sample_store):
    pairs = rows(run_named(sample_store, "actor-pairs"))
    assert pairs and all(int(r["reports"]) >= 1 for r in pairs)
    first = pairs[0]
    facts = rows(
        run_named(
            sample_store,
            "evidence",
            {"subject": first["subject"], "predicate": first["relation"], "object": first["object"]},
        )
    )
    assert len(facts) == int(first["reports"])
    assert all(f["sentence"] for f in facts)
