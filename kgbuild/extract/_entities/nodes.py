"""Component 2, kgbuild_entities: the entity nodes of one article (DocEntities).

`DocEntities.build` runs the steps in order: names (curated ids, acronyms, surnames, demonyms,
normalised labels), dates and quantities, then the nominal steps (titles before names,
common-noun mentions and their coreference, in nominals.py), role relations, pronouns
(pronouns.py), title relations, and finally one Entity per node.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ...records import Entity, Mention, Relation
from ..doc import doc_text
from .artifacts import artifact_class
from .data import Actor, ActorTable, gaz_demonym, gaz_lookup, load_nominals, load_titles
from .._events.specificity import frame_text
from .dates import normalise_date, normalise_number, parse_iso
from .names import (
    clean_person_label,
    defined_acronyms,
    initials,
    leading_title,
    looks_like_acronym,
    person_name_tokens,
    title_ending_at,
)
from .nominals import NominalMentions
from .pronouns import PronounMentions
from .tokens import actor_use
from .types import (
    DEFAULT_CLASS,
    DETERMINERS,
    EXTRACTOR,
    FREQUENCY_WORDS,
    NAME_LABELS,
    NER_LABELS,
    ORG_CLASSES,
    Cluster,
    coarse_of_class,
    doc_scoped_key,
    norm_alias,
    slug,
    strip_determiner,
)


def _name_types(label: str) -> tuple[str, str]:
    """(coarse type, default class) of a name label: every one in NAME_LABELS maps to a pair."""
    mapped = NER_LABELS[label]
    assert mapped is not None
    return mapped


class DocEntities(NominalMentions, PronounMentions):
    """Builds the entity nodes of one Doc; one instance per document."""

    def __init__(self, doc: Doc, actors: ActorTable):
        self.doc = doc
        self.actors = actors
        article = doc._.kg_article if Doc.has_extension("kg_article") else None
        self.doc_id = getattr(article, "doc_id", "") or ""
        self.article_date = parse_iso(getattr(article, "date", None))
        self.clusters: dict[str, Cluster] = {}
        self.token_cluster: dict[int, str] = {}  # token index -> cluster key (any mention)
        self.mentioned: set[int] = set()  # tokens inside emitted mentions of names
        self.sents = (
            list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        )  # spaCy walks the doc per doc.sents
        self.sent_starts = [s.start for s in self.sents] if doc.has_annotation("SENT_START") else [0]
        self.text = doc_text(doc)
        self.relations: list[Relation] = []
        self.counts: dict[int, int] = {}  # head token -> count for people groups
        self.nominal_heads: dict[
            str, list[tuple[int, str]]
        ] = {}  # head lemma -> (char offset, node key) of its nominals
        self.nominal_tally: dict[
            str, dict[str, tuple[int, int]]
        ] = {}  # head lemma -> node key -> (nominals, last offset)
        self.person_words: dict[str, list[Cluster]] = {}  # first or last word of a full name -> its nodes
        self.first_name_start: dict[str, int] = {}  # node key -> char offset of its first name mention
        self.nominal_mods: dict[int, frozenset[str]] = {}  # char offset of a nominal's head -> its identity modifiers
        self.pronoun_index: list[tuple] | None = None  # mentions by start, built when pronouns are resolved
        self.pending_roles: list[tuple] = []  # role phrases before names, see _title_apposition

    # -- bookkeeping ----------------------------------------------------

    def sentence_of(self, token_i: int) -> int:
        lo, hi = 0, len(self.sent_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sent_starts[mid] <= token_i:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def cluster(self, key: str, **kwargs) -> Cluster:
        if key not in self.clusters:
            cluster = self.clusters[key] = Cluster(key=key, **kwargs)
            words = cluster.label.split()
            if cluster.cls == "Person" and len(words) > 1:  # full names by first and last word, for surnames
                for word in {words[0].lower(), words[-1].lower()}:
                    self.person_words.setdefault(word, []).append(cluster)
        return self.clusters[key]

    def add_mention(
        self, cluster: Cluster, start: int, end: int, coarse: str, kind: str, confidence: float = 1.0
    ) -> Mention:
        if 0 <= start < end <= len(self.doc):  # a span's offsets and text, without making the Span
            last = self.doc[end - 1]
            start_char, end_char = self.doc[start].idx, last.idx + len(last)
            text = self.text[start_char:end_char]
        else:
            span = self.doc[start:end]
            start_char, end_char, text = span.start_char, span.end_char, span.text
        mention = Mention(
            start=start_char,
            end=end_char,
            text=text,
            coarse=coarse,
            entity=cluster.key,
            sentence=self.sentence_of(start),
            kind=kind,
            extractor=EXTRACTOR,
            confidence=confidence,
        )
        cluster.mentions.append(mention)
        if kind == "name" and start_char < self.first_name_start.get(cluster.key, start_char + 1):
            self.first_name_start[cluster.key] = start_char
        for i in range(start, end):
            self.token_cluster.setdefault(i, cluster.key)
        return mention

    # -- the whole run --------------------------------------------------

    def build(self) -> tuple[list[Entity], list[Relation]]:
        names = [e for e in self.doc.ents if e.label_ in NAME_LABELS]
        self.add_names(names)
        self.add_values([e for e in self.doc.ents if e.label_ not in NAME_LABELS])
        self.add_title_mentions()
        self.add_nominals()
        self.add_role_relations()
        self.add_pronouns()
        self.add_title_relations()
        return self.entities(), self.relations

    # -- names ----------------------------------------------------------

    def add_names(self, ents: list[SpacySpan]) -> None:
        """Cluster name mentions: curated ids, acronyms, surnames, then normalised labels."""
        acronyms = defined_acronyms(self.doc, ents)
        # full names first, so a surname can join a name that appears later in the text
        order = sorted(ents, key=lambda e: (not (e.label_ == "PERSON" and len(person_name_tokens(e)) > 1), e.start))
        for ent in order:
            demonym_place = self._demonym_place(ent) if ent.label_ == "NORP" else None
            if demonym_place is not None:
                self.add_place_mention(ent.start, ent.end, demonym_place, rule="demonym")
                continue
            if ent.label_ == "NORP":
                self._add_norp(ent)
                continue
            cluster, rule = self._name_cluster(ent, acronyms)
            coarse, _ = _name_types(ent.label_)
            if not ent.kb_id_ and rule != "surname":  # a lone surname's NER label is unreliable
                cluster.votes[coarse] += 2 if len(ent) > 1 else 1
            self.add_mention(cluster, ent.start, ent.end, coarse, "name")
            self.mentioned.update(range(ent.start, ent.end))
        self._join_acronyms_named_first()
        for cluster in self.clusters.values():  # one type per node: fix every name mention
            if coarse_of_class(cluster.cls) != cluster.coarse:
                cluster.cls = DEFAULT_CLASS[cluster.coarse]
            cluster.mentions = [retype(m, cluster.coarse) for m in cluster.mentions]

    def _name_cluster(self, ent: SpacySpan, acronyms: dict[str, str]) -> tuple[Cluster, str]:
        if ent.kb_id_:
            return self._curated_cluster(ent), "alias-table"
        coarse, cls = _name_types(ent.label_)
        text = strip_determiner(ent.text)
        if len(ent) == 1 and ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
            existing = self._surname_match(text)
            if existing is not None:  # 'Dillon' after 'Ryan Dillon', whatever the NER thought
                return existing, "surname"
        if ent.label_ == "PERSON":
            name = " ".join(t.text for t in person_name_tokens(ent)) or text
            existing = self._surname_match(name)
            if existing is not None:
                return existing, "surname"
            return self.cluster(slug(name), label=name, cls="Person", rule="ner"), "ner"
        actor = self.actors.lookup(text)
        if actor is not None and not (
            norm_alias(text) in self.actors.metonyms and not actor_use(self.doc, ent.start, ent.end)
        ):
            return self._actor_cluster(actor), "alias-table"
        national = self._national_body(ent)
        if national is not None:
            return national, "demonym"
        long_form = acronyms.get(text)
        if long_form and slug(long_form) in self.clusters:
            cluster = self.clusters[slug(long_form)]
            cluster.rule = cluster.rule if "acronym" in cluster.rule else cluster.rule + "+acronym"
            return cluster, "acronym"
        for short, long in acronyms.items():
            if long == text and slug(short) in self.clusters:  # acronym seen before its long form
                return self.clusters[slug(short)], "acronym"
        if ent.label_ in ("ORG",) and looks_like_acronym(text):
            match = self._initials_match(text)
            if match is not None:
                return match, "acronym"
        if ent.label_ == "PRODUCT":
            cls = artifact_class(ent)  # "F-16 jets": a Vehicle
        return self.cluster(slug(text), label=text, cls=cls, rule="ner"), "ner"

    def _join_acronyms_named_first(self) -> None:
        """'RSF' in the title, 'Rapid Support Forces' in the body: an uncurated acronym node joins
        the one organisation node whose initials it spells, wherever each was first named."""
        by_initials: dict[str, list[Cluster]] = {}
        for c in self.clusters.values():
            if c.cls in ORG_CLASSES and len(c.label.split()) > 1:
                by_initials.setdefault(initials(c.label), []).append(c)
        for c in list(self.clusters.values()):
            if c.rule != "ner" or not looks_like_acronym(c.label) or c.coarse != "ORGANIZATION":
                continue
            hits = [h for h in by_initials.get(c.label.replace(".", "").upper(), ()) if h.key != c.key]
            if len(hits) == 1:
                self._merge_into(c, hits[0])

    def _merge_into(self, src: Cluster, dst: Cluster) -> None:
        """Move every mention of node `src` to node `dst` and drop `src`."""
        for m in src.mentions:
            dst.mentions.append(
                Mention(m.start, m.end, m.text, m.coarse, dst.key, m.sentence, m.kind, m.extractor, m.confidence)
            )
        dst.votes.update(src.votes)
        if "acronym" not in dst.rule:
            dst.rule += "+acronym"
        for i, key in list(self.token_cluster.items()):
            if key == src.key:
                self.token_cluster[i] = dst.key
        if src.key in self.first_name_start:
            first = self.first_name_start.pop(src.key)
            self.first_name_start[dst.key] = min(first, self.first_name_start.get(dst.key, first))
        del self.clusters[src.key]

    def _national_body(self, ent: SpacySpan) -> Cluster | None:
        """'Gabonese navy', 'the Chadian government' (uncurated): the state's body, linked to
        the state by its country, one node per state and head noun ('Gabon navy')."""
        words = [t for t in ent if t.lower_ not in DETERMINERS]
        if ent.label_ != "ORG" or len(words) != 2:
            return None
        nominal = load_nominals().get(words[1].lemma_.lower()) or load_nominals().get(words[1].lower_)
        state = gaz_demonym(words[0].text) if nominal and nominal.coarse == "ORGANIZATION" else None
        if state is None or nominal is None:
            return None
        lemma = words[1].lemma_.lower()
        label = f"{state.label} {lemma}"
        cluster = self.cluster(slug(label), label=label, cls=nominal.cls, rule="nominal+demonym", country=state.country)
        cluster.fixed_coarse = "ORGANIZATION"
        return cluster

    def _curated_cluster(self, ent: SpacySpan) -> Cluster:
        actor = self.actors.by_id.get(ent.kb_id_)
        if actor is not None:
            return self._actor_cluster(actor)
        place = gaz_lookup(strip_determiner(ent.text))
        if place is not None and str(place.id) == ent.kb_id_:
            return self._place_cluster(place)
        coarse, cls = NER_LABELS.get(ent.label_) or ("OTHER", "Thing")
        return self.cluster(ent.kb_id_, label=strip_determiner(ent.text), cls=cls, rule="alias-table")

    def _actor_cluster(self, actor: Actor) -> Cluster:
        cluster = self.cluster(
            actor.id,
            label=actor.label,
            cls=actor.cls,
            rule="alias-table",
            wikidata=actor.wikidata,
            country=actor.country,
        )
        cluster.fixed_coarse = coarse_of_class(actor.cls)
        return cluster

    def _place_cluster(self, place) -> Cluster:
        cluster = self.cluster(
            str(place.id),
            label=place.label,
            cls=place.cls,
            rule="gazetteer",
            geonames=getattr(place, "geonames", None),
            country=getattr(place, "country", None),
            lat=getattr(place, "lat", None),
            lon=getattr(place, "lon", None),
        )
        cluster.fixed_coarse = coarse_of_class(place.cls) if place.cls != "Facility" else "LOCATION"
        return cluster

    def add_place_mention(self, start: int, end: int, place, rule: str, kind: str = "name") -> None:
        cluster = self._place_cluster(place)
        if cluster.rule == "gazetteer" and rule != "gazetteer":
            cluster.rule = f"gazetteer+{rule}"
        self.add_mention(cluster, start, end, cluster.coarse, kind)
        self.mentioned.update(range(start, end))

    def _demonym_place(self, ent: SpacySpan):
        place = gaz_demonym(ent.text)
        if place is None and len(ent) > 1:
            place = gaz_demonym(ent[-1].text)
        return place

    def _add_norp(self, ent: SpacySpan) -> None:
        """Non-demonym nationalities, religions, political groups: people when plural, else a group."""
        text = strip_determiner(ent.text)
        actor = self.actors.lookup(text)
        if actor is not None:
            cluster = self._actor_cluster(actor)
            self.add_mention(cluster, ent.start, ent.end, cluster.coarse, "name")
        elif ent[-1].tag_ in ("NNPS", "NNS"):
            cluster = self.cluster(slug(text), label=text, cls="PeopleGroup", rule="ner")
            cluster.fixed_coarse = "PERSON"
            self.add_mention(cluster, ent.start, ent.end, "PERSON", "name")
        else:
            return
        self.mentioned.update(range(ent.start, ent.end))

    def _surname_match(self, name: str) -> Cluster | None:
        """A one-word person name that is the last (or first) word of exactly one full name."""
        words = name.split()
        if len(words) != 1:
            return None
        word = words[0].lower()
        hits = [c for c in self.person_words.get(word, ()) if c.cls == "Person" and self.clusters.get(c.key) is c]
        if len(hits) == 1:
            if "surname" not in hits[0].rule:
                hits[0].rule += "+surname"
            return hits[0]
        return None

    def _initials_match(self, acronym: str) -> Cluster | None:
        letters = acronym.replace(".", "").upper()
        hits = [
            c
            for c in self.clusters.values()
            if c.cls in ORG_CLASSES | {"Organisation"} and initials(c.label) == letters
        ]
        return hits[0] if len(hits) == 1 else None

    # -- dates and quantities -------------------------------------------

    def add_values(self, ents: list[SpacySpan]) -> None:
        for ent in ents:
            mapped = NER_LABELS.get(ent.label_)
            if mapped is None:
                continue
            coarse, cls = mapped
            if cls == "Date":
                if ent.text.lower() in FREQUENCY_WORDS:
                    continue  # "annual", "weekly": how often, not when; no date node
                value = normalise_date(frame_text(ent), self.article_date)  # "since 2014": from 2014 on
                key = f"date-{value}" if value else doc_scoped_key("date", self.doc_id, ent.text, ent.start_char)
                cluster = self.cluster(key, label=ent.text, cls="Date", rule="ner", doc_scoped=not value, value=value)
            else:
                if ent.label_ == "CARDINAL" and self._cardinal_is_people(ent):
                    continue
                key = doc_scoped_key("quantity", self.doc_id, ent.text, ent.start_char)
                cluster = self.cluster(
                    key, label=ent.text, cls="Quantity", rule="ner", doc_scoped=True, value=normalise_number(ent.text)
                )
            cluster.fixed_coarse = coarse
            self.add_mention(cluster, ent.start, ent.end, coarse, "name")

    def _cardinal_is_people(self, ent: SpacySpan) -> bool:
        """A bare number is a count, not a thing: it becomes a people group's Entity.count
        ("308 fighters") or, as a clause subject ("two died"), a PeopleGroup node.  (Emitting
        every number as a Quantity mention was measured: it costs more precision than it gains.)"""
        if ent.root.dep_ in ("nsubj", "nsubjpass") and ent.root.head.pos_ in ("VERB", "AUX"):
            self._people_number(ent)
        else:
            self._is_group_count(ent)
        return True

    def _people_number(self, ent: SpacySpan) -> None:
        """'Two were killed': a number as the subject of a clause denotes people."""
        value = normalise_number(ent.text)
        key = doc_scoped_key("people", self.doc_id, ent.text, ent.start_char)
        cluster = self.cluster(
            key, label=ent.text, cls="PeopleGroup", rule="number-subject", doc_scoped=True, confidence=0.6
        )
        cluster.count = int(value) if value and value.isdigit() else None
        cluster.fixed_coarse = "PERSON"
        self.add_mention(cluster, ent.start, ent.end, "PERSON", "nominal", 0.6)

    def _is_group_count(self, ent: SpacySpan) -> bool:
        """'308' in '308 IS fighters' is the size of a group, kept as Entity.count."""
        head = ent.root.head
        nominal = load_nominals().get(head.lemma_.lower())
        if ent.root.dep_ == "nummod" and nominal is not None and nominal.cls == "PeopleGroup":
            value = normalise_number(ent.text)
            if value is not None and value.isdigit():
                self.counts[head.i] = int(value)
            return True
        return False

    # -- title relations ------------------------------------------------

    def add_title_relations(self) -> None:
        """'<org> spokesman <person>', '<state> Prime Minister <person>', '<person>, leader of <org>'."""
        titles = load_titles()
        for cluster in list(self.clusters.values()):
            if cluster.cls != "Person":
                continue
            for m in cluster.mentions:
                if m.kind != "name":
                    continue
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                found = self._title_before(span, titles) or self._title_appositive(span, titles)
                if found is not None:
                    predicate, org, start, end = found
                    if org.key != cluster.key:
                        self._relation(cluster.key, predicate, org.key, start, end)

    def _title_before(self, span: SpacySpan, titles: dict) -> tuple | None:
        i = span.start
        # titles may be inside the NER span ("Prime Minister Haider al-Abadi")
        inner = leading_title(span, titles)
        predicate = inner[1] if inner else None
        j = i
        while True:
            found = title_ending_at(self.doc, j, titles)
            if not found:
                break
            length, pred = found
            j -= length
            if pred != "-":
                predicate = pred  # the leftmost role word decides ("coalition spokesman Colonel X")
        if predicate is None or predicate == "-":
            return None
        k = j - 1
        if k >= 0 and self.doc[k].tag_ == "POS":
            k -= 1
        if k < 0:
            return None
        key = self.token_cluster.get(k)
        if key is None:
            return None
        org = self.clusters[key]
        if org.coarse not in ("ORGANIZATION", "GPE"):
            return None
        # the organisation's first token among the 8 before the title (a window, not a scan of the document)
        org_start = min(t for t in range(max(0, k - 8), k + 1) if self.token_cluster.get(t) == key)
        return predicate, org, self.doc[org_start].idx, span.end_char

    def _title_appositive(self, span: SpacySpan, titles: dict) -> tuple | None:
        for tok in span.root.children:
            if tok.dep_ != "appos":
                continue
            pred = titles.get((tok.lower_,)) or titles.get((tok.lemma_.lower(),))
            if not pred or pred == "-":
                continue
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                    for obj in prep.children:
                        key = self.token_cluster.get(obj.i)
                        if key and self.clusters[key].coarse in ("ORGANIZATION", "GPE"):
                            end = max(obj.i, max((t.i for t in obj.subtree), default=obj.i))
                            return pred, self.clusters[key], span.start_char, self.doc[end].idx + len(self.doc[end])
            poss = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod")]
            for p in poss:
                key = self.token_cluster.get(p.i)
                if key and self.clusters[key].coarse in ("ORGANIZATION", "GPE"):
                    return pred, self.clusters[key], span.start_char, tok.idx + len(tok)
        return None

    def _relation(self, subject: str, predicate: str, obj: str, start: int, end: int) -> None:
        sentence = 0
        if end > start:
            span = self.doc.char_span(start, end, alignment_mode="expand")
            assert span is not None  # "expand" fails only outside the text; the offsets are of its tokens
            sentence = self.sentence_of(span.start)
        rel = Relation(
            subject=subject,
            predicate=predicate,
            object=obj,
            start=start,
            end=end,
            sentence=sentence,
            extractor=EXTRACTOR,
            confidence=0.8,
        )
        if rel not in self.relations:
            self.relations.append(rel)

    # -- output ---------------------------------------------------------

    def entities(self) -> list[Entity]:
        out = []
        for c in self.clusters.values():
            if not c.mentions:
                continue
            mentions = tuple(sorted(set(c.mentions), key=lambda m: (m.start, m.end, m.coarse)))
            aliases = tuple(sorted({strip_determiner(m.text) for m in mentions if m.kind == "name"} - {c.label}))
            label = c.label
            if c.cls == "Person" and c.rule != "alias-table":
                label = (
                    max((clean_person_label(m.text) for m in mentions if m.kind == "name"), key=len, default=label)
                    or label
                )
            out.append(
                Entity(
                    key=c.key,
                    label=label,
                    cls=c.cls,
                    coarse=c.coarse,
                    mentions=mentions,
                    aliases=aliases,
                    doc_scoped=c.doc_scoped,
                    wikidata=c.wikidata,
                    geonames=str(c.geonames) if c.geonames is not None else None,
                    country=c.country,
                    lat=c.lat,
                    lon=c.lon,
                    count=c.count,
                    value=c.value,
                    rule=c.rule,
                    confidence=c.confidence,
                )
            )
        out.sort(key=lambda e: (e.mentions[0].start, e.mentions[0].end, e.key))
        return out


def retype(m: Mention, coarse: str) -> Mention:
    if m.kind != "name" or m.coarse == coarse:
        return m
    return Mention(m.start, m.end, m.text, coarse, m.entity, m.sentence, m.kind, m.extractor, m.confidence)
