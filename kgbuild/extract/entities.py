"""Entity extraction: the actor ruler and the entity-node builder.

Two spaCy components, registered with `Language.factory`:

kgbuild_actor_ruler  (runs right after "ner")
    Fixes and adds entity spans where curated knowledge is more reliable than
    the statistical NER: aliases of actors from kgbuild/data/actors.jsonl and
    the user's alias files (the `alias_files` config), places from the offline
    gazetteer, and person names the NER cut short.  The curated id travels on
    the span as its `kb_id`, so the next component knows which node a span
    denotes.

kgbuild_entities
    Turns names, nominals ("the militants", "a small bridge"), pronouns,
    dates and quantities into Entity nodes with their Mentions, resolves
    mentions within the document (acronyms, surnames, demonyms, reliable
    pronoun and nominal coreference), types each node consistently and records
    title relations ("coalition spokesman X" -> X spokespersonOf coalition).

How it works, in order:

1. Spans (kgbuild_actor_ruler).  Dictionary spans of actor aliases and
   handles override overlapping NER spans; a metonym alias (a capital for its
   government) is the actor only where an actor is wanted ("Washington
   condemned"), else the place ("fighting in Khartoum"); one-word demonyms
   are nationalities, never places; the gazetteer relabels mistyped places
   and adds missed ones; span rules extend person names, mark acronyms of
   the article's organisation names ("RSF" in a title), recognise artifacts
   (products, vehicles, weapons: "Boeing 737", "F-16 jets", "released
   Windows Vista"), persons after titles, unlikely one-word persons and
   places named after "the town of".
2. Names.  Each name span joins a node: its curated id, an actor alias, a
   national body ("Chadian navy"), a defined acronym or initials, a surname
   of a full name, else its normalised label.  Demonyms become their state;
   plural nationalities and groups become people; an acronym named before its
   full name joins it.  One type per node.
3. Dates and quantities.  Dates get ISO values against the article date;
   bare numbers become people counts ("308 fighters") or people ("two died").
4. Nominals.  Titles before names join the person; "the town of X" joins X;
   common nouns from nominals.tsv become mentions that corefer with the node
   they repeat (same head noun earlier, most salient fitting node, only node
   of a specific class; "a road" ... "a road" for things an article returns
   to, unless "another road"), else a node of their own; role phrases before
   names give relations once organisations are resolved.
5. Pronouns.  A pronoun subject under a reporting verb is that verb's subject
   when number and animacy agree ("The US said it ..."); other third-person
   pronouns join the closest fitting node, relative pronouns their noun,
   first-person pronouns in a quotation its speaker.
6. Title relations ("<org> spokesman <person>", "<person>, leader of <org>")
   and the Entity records.

The steps live in kgbuild/extract/_entities/: types.py (classes, label
mapping, normalisation, the node under construction), data.py (actors,
alias files, nominals, titles, word lists, speech verbs, gazetteer),
tokens.py (token helpers, actor use of a name), ruler.py (step 1),
artifacts.py (product, vehicle and weapon names, step 1), nodes.py (steps 2, 3 and 6,
the per-document DocEntities), nominals.py (4), pronouns.py (5), names.py
(person names, titles, acronyms), dates.py (dates and numbers).  This module
keeps the two components.

Cost grows about linearly with the document: no step rescans the document or
every node per entity (pronouns walk back through a mention index, same-head
nominals read a running tally, surnames and first names are indexed,
NER/dictionary overlaps are found by bisection).  Still proportional to more
than the local context: salience sums a candidate node's earlier mentions
(nominals.py), and the quotation test scans the paragraph before a pronoun.

Word lists live in kgbuild/data (nominals.tsv, titles.tsv, the speech verbs
as `speech` rows of triggers.tsv, actor_prepositions.txt, product_verbs.txt,
distinguishing_modifiers.txt); the names of actors and places only in
actors.jsonl and the gazetteer, never in code.

Configuration is explicit: the components read alias files only from their
`alias_files` config (kgbuild.extract.Settings, passed by the run); only the
CLI reads $KGBUILD_ALIASES (kgbuild/cli/build.py).
"""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ._entities.data import (  # noqa: F401  (the public names of this module)
    DATA_DIR,
    Actor,
    ActorTable,
    Nominal,
    load_actor_table,
    load_given_names,
    load_nominals,
    load_titles,
    read_jsonl,
    speech_verbs,
)
from ._entities.dates import normalise_date, normalise_number  # noqa: F401
from ._entities.names import clean_person_label, defined_acronyms, initials, person_name_tokens  # noqa: F401
from ._entities.nodes import DocEntities
from ._entities.ruler import ActorRuler, alias_tokens  # noqa: F401
from ._entities.types import (  # noqa: F401
    EXTRACTOR,
    NER_LABELS,
    coarse_of_class,
    doc_scoped_key,
    handle_word,
    norm_alias,
    slug,
    split_camel,
    strip_determiner,
)


class EntityBuilder:
    """spaCy component: sets doc._.kg_entities and appends title relations to doc._.kg_relations."""

    def __init__(self, nlp: Language, name: str, alias_files: Iterable[str] = ()):
        self.name = name
        self.alias_files = tuple(alias_files)

    def __call__(self, doc: Doc) -> Doc:
        from .doc import register_extensions

        register_extensions()
        actors = load_actor_table(self.alias_files)
        entities, relations = DocEntities(doc, actors).build() if len(doc) else ([], [])
        doc._.kg_entities = entities
        if doc._.kg_relations is None:
            doc._.kg_relations = []
        doc._.kg_relations.extend(relations)
        return doc


@Language.factory("kgbuild_actor_ruler", default_config={"alias_files": []})
def make_actor_ruler(nlp: Language, name: str, alias_files: list[str]) -> ActorRuler:
    return ActorRuler(nlp, name, alias_files)


@Language.factory("kgbuild_entities", default_config={"alias_files": []})
def make_entity_builder(nlp: Language, name: str, alias_files: list[str]) -> EntityBuilder:
    return EntityBuilder(nlp, name, alias_files)
