"""Cross-document resolution on hand-built extractions (no model needed)."""

from __future__ import annotations

import json

from kgbuild.records import Article, Entity, Extraction, Mention, Relation
from kgbuild.resolve import Resolver, load_alias_file, merge


def mention(text, key, start=0, coarse="ORGANIZATION", kind="name"):
    return Mention(start, start + len(text), text, coarse, key, 0, kind)


def entity(key, label, cls="ArmedGroup", coarse="ORGANIZATION", texts=(), doc_scoped=False, rule="ner", aliases=()):
    return Entity(
        key=key,
        label=label,
        cls=cls,
        coarse=coarse,
        mentions=tuple(mention(t, key, i * 10, coarse) for i, t in enumerate(texts or (label,))),
        aliases=tuple(aliases),
        doc_scoped=doc_scoped,
        rule=rule,
    )


def extraction(doc_id, *entities, relations=()):
    return Extraction(article=Article(doc_id, "text"), entities=tuple(entities), relations=tuple(relations))


def test_same_key_in_two_articles_is_one_node_with_all_aliases():
    a = extraction("a", entity("northern-valley-front", "Northern Valley Front", texts=("Northern Valley Front", "NVF"), rule="alias-table"))
    b = extraction("b", entity("northern-valley-front", "Northern Valley Front", texts=("#NVF", "Valley Front"), rule="alias-table+acronym"))
    nodes = merge([a, b])
    assert list(nodes) == ["northern-valley-front"]
    node = nodes["northern-valley-front"]
    assert node.aliases == {"NVF", "#NVF", "Valley Front"}
    assert node.docs == ["a", "b"]
    assert node.rules == {"alias-table", "acronym"}
    assert "NVF" in node.explain() and "alias-table" in node.explain()


def test_conflicting_types_are_flagged_not_dropped():
    r = Resolver()
    r.add(extraction("a", entity("jordan", "Jordan", cls="State", coarse="GPE")))
    r.add(extraction("b", entity("jordan", "Jordan", cls="Person", coarse="PERSON")))
    r.add(extraction("c", entity("jordan", "Jordan", cls="State", coarse="GPE")))
    node = r.nodes["jordan"]
    assert (node.cls, node.coarse) == ("State", "GPE")  # the majority
    conflicts = {c.field: c for c in r.conflicts()}
    assert conflicts["cls"].values == (("State", 2), ("Person", 1))
    assert conflicts["cls"].chosen == "State"
    assert "coarse" in conflicts


def test_article_scoped_nodes_are_never_merged():
    a = extraction("a", entity("bridge-1234abcd", "small bridge", cls="Facility", coarse="LOCATION", doc_scoped=True))
    b = extraction("b", entity("bridge-1234abcd", "small bridge", cls="Facility", coarse="LOCATION", doc_scoped=True))
    assert merge([a, b]) == {}


def test_user_alias_file_overrides_keys_label_and_class(tmp_path):
    path = tmp_path / "mine.jsonl"
    rows = [{"id": "my-front", "label": "The Front (NVF)", "class": "Coalition", "aliases": ["Valley Front", "NVF"], "wikidata": "Q1"}]
    path.write_text("# my aliases\n" + "\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    assert load_alias_file(str(path)) == rows
    r = Resolver()
    assert r.load_alias_file(str(path)) == 1
    ex = extraction(
        "a",
        entity("valley-front", "Valley Front", cls="Organisation"),
        entity("omar-haddad", "Omar Haddad", cls="Person", coarse="PERSON"),
        relations=(Relation("omar-haddad", "spokespersonOf", "valley-front", 0, 5, 0),),
    )
    mapping = r.add(ex)
    assert mapping["valley-front"] == "my-front"
    node = r.nodes["my-front"]
    assert (node.label, node.cls, node.wikidata, node.overridden) == ("The Front (NVF)", "Coalition", "Q1", True)
    assert "valley-front" in node.merged_from and "user-alias-file" in node.rules
    rekeyed = r.rekey(ex)
    assert rekeyed.entity("my-front") is not None
    assert all(m.entity == "my-front" for m in rekeyed.entity("my-front").mentions)
    assert rekeyed.relations[0].object == "my-front"


def test_incremental_equals_batch_and_is_deterministic():
    exs = [
        extraction("a", entity("x", "X", texts=("X", "Ex"))),
        extraction("b", entity("x", "X", texts=("X-ray",)), entity("y", "Y", cls="Person", coarse="PERSON")),
    ]
    batch = merge(exs)
    r = Resolver()
    for ex in exs:
        r.add(ex)
    assert {k: (v.aliases, v.docs, v.cls) for k, v in batch.items()} == {
        k: (v.aliases, v.docs, v.cls) for k, v in sorted(r.nodes.items())
    }
    assert list(merge(exs)) == list(batch) == ["x", "y"]


def test_missing_alias_file_is_not_fatal(tmp_path):
    assert Resolver().load_alias_file(str(tmp_path / "absent.jsonl")) == 0
