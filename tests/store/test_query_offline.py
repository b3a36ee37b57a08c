"""Queries stay offline and interruptible; misspelt ontology terms are named (issue 17)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import KGBUILD_CTRL_C
from golden.handmade import graphs
from kgbuild.errors import QueryError
from kgbuild.rdf.namespaces import KGB_URI
from kgbuild.rdf.serialize import serialize
from kgbuild.store.sparql_lint import unknown_terms, uses_service
from kgbuild.store import open_store, run_query


@pytest.fixture
def nquads(tmp_path: Path) -> Path:
    path = tmp_path / "g.nq"
    path.write_bytes(serialize(graphs(), "nq"))
    return path


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://x/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o # a comment\n SeRvIcE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_seen(query: str):
    assert uses_service(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * WHERE { ?s ?p '''a\nservice\n''' }",
        "SELECT ?service WHERE { ?service ex:service <http://x/service> } # SERVICE",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:p ?o }",
    ],
)
def test_service_in_strings_iris_names_and_comments_is_not_the_keyword(query: str):
    assert not uses_service(query)


@given(st.text(alphabet=st.characters(blacklist_characters='"\\\n'), max_size=40))
def test_any_string_literal_is_never_a_service_clause(content: str):
    assert not uses_service(f'SELECT * WHERE {{ ?s ?p "{content}" }}')


def test_service_is_refused_with_a_query_error_before_any_request(nquads: Path):
    store = open_store(nquads)
    with pytest.raises(QueryError, match="SERVICE is refused"):
        run_query(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")


def test_cli_service_exit_code_is_7(nquads: Path):
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "kgbuild",
            "query",
            str(nquads),
            "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 7 and "SERVICE is refused" in r.stderr and "Traceback" not in r.stderr


def test_unknown_kgb_terms_are_named_with_the_nearest_term():
    known = {"Airstrike", "Attack", "agent", "target"}
    prefixes = {"kgb": KGB_URI}
    q = f"SELECT * WHERE {{ ?e a kgb:Airstrik ; kgb:agent ?a ; <{KGB_URI}tarrget> ?t ; kgb:zzzzzz ?z }}"
    assert unknown_terms(q, KGB_URI, known, prefixes) == [
        (f"<{KGB_URI}tarrget>", "target"),
        ("kgb:Airstrik", "Airstrike"),
        ("kgb:zzzzzz", None),
    ]


def test_a_prefix_declared_in_the_query_wins():
    q = "PREFIX kgb: <http://other.example/> SELECT * WHERE { ?e a kgb:Whatever }"
    assert unknown_terms(q, KGB_URI, {"Attack"}, {"kgb": KGB_URI}) == []


def test_cli_warns_about_a_misspelt_term(nquads: Path):
    r = subprocess.run(
        [sys.executable, "-m", "kgbuild", "query", str(nquads), "SELECT ?e WHERE { ?e a kgb:Airstrik }"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0
    assert "kgb:Airstrik is not a term of the kgbuild ontology; did you mean kgb:Airstrike?" in r.stderr


def test_ctrl_c_interrupts_a_long_query(nquads: Path):
    """A query that would run for hours ends at Ctrl-C with exit 130, whatever phase it was in."""
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
    proc = subprocess.Popen(
        [*KGBUILD_CTRL_C, "query", str(nquads), endless], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(3)
    assert proc.poll() is None, "the query should still be running"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)  # without the fix: never returns
    assert proc.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr


def test_query_result_iterates_as_dicts(nquads: Path):
    result = run_query(open_store(nquads), "SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s ?o LIMIT 3")
    rows = list(result)
    assert len(result) == len(rows) == 3
    assert all(set(r) == {"s", "o"} for r in rows)
    assert rows[0]["s"] == result.rows[0][0]


def test_table_never_cuts_an_iri():
    from kgbuild.store.sparql import QueryResult
    from kgbuild.store.tables import render

    long_iri = "https://example.org/kgbuild/event/" + "a" * 120
    text = render(QueryResult(("e", "c", "l"), ((long_iri, KGB_URI + "Attack", "x" * 200),)))
    assert long_iri in text and "kgb:Attack" in text
    assert "x" * 200 not in text  # long literals are still shortened
