"""Nominal mentions and their coreference (mixed into DocEntities, see nodes.py).

Common nouns from nominals.tsv ("the militants", "a small bridge") become mentions: a title
before a person's name joins the person; a definite or bare plural nominal joins the node it
repeats (the same head noun earlier, else the most salient named node of a fitting class,
else the only node of a specific class); anything else is a node of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from .data import Nominal, load_nominals, load_titles, load_word_list
from .names import title_ending_at
from .tokens import token_indices
from .types import doc_scoped_key, handle_word, slug, strip_determiner

if TYPE_CHECKING:
    from .types import Cluster

NOMINAL_MODIFIERS = frozenset({"det", "amod", "nummod", "compound", "quantmod", "advmod", "punct"})
# Nominal coreference: classes specific enough that "the coalition" / "the militants" may join the
# article's only node of that class however far back it was named; salience of a candidate node.
SPECIFIC_CLASSES = frozenset({"Coalition", "ArmedGroup", "MilitaryForce", "InternationalOrganisation"})
SALIENCE_WINDOW = 3  # sentences: a candidate must have been mentioned this recently
SALIENCE_DECAY = 0.7  # weight of a mention one sentence further back
MENTION_WEIGHT = {"name": 1.0, "nominal": 0.6, "pronoun": 0.3}
DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Classes whose repeated indefinite mention ("a road" ... "a road") is one referent in an article.
REPEATED_INDEFINITE_CLASSES = frozenset({"Facility"})
CORE_ARGS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "dative"})


class NominalMentions:
    """The nominal steps of DocEntities."""

    def add_title_mentions(self) -> None:
        """'Apple CEO Steve Jobs', 'coalition spokesman X': the title before a name denotes the person."""
        titles = load_titles()
        for cluster in list(self.clusters.values()):
            if cluster.cls != "Person":
                continue
            for m in list(cluster.mentions):
                span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None or m.kind != "name":
                    continue
                end = span.start
                while True:
                    found = title_ending_at(self.doc, end, titles)
                    if not found or any(i in self.mentioned for i in range(end - found[0], end)):
                        break
                    end -= found[0]
                if end < span.start:
                    self.add_mention(cluster, end, span.start, "PERSON", "nominal", 0.8)
                    self.mentioned.update(range(end, span.start))

    def add_nominals(self) -> None:
        """Common-noun mentions from nominals.tsv; definite ones corefer where a match is near."""
        table = load_nominals()
        doc = self.doc
        for i in token_indices(doc, ("NOUN", "PROPN")):
            if i in self.mentioned:
                continue
            tok = doc[i]
            nominal = table.get(handle_word(tok.lemma_.lower())) or table.get(handle_word(tok.lower_))
            if (
                nominal is None
                or tok.text[:1].isupper()
                and tok.pos_ == "PROPN"
                and tok.i > 0
                and not tok.is_sent_start
            ):
                continue
            if tok.dep_ == "compound" and nominal.coarse == "PERSON" and tok.head.i in self.mentioned:
                key = self.token_cluster.get(tok.head.i)
                if key and self.clusters[key].cls == "Person":  # "Apple CEO Steve Jobs": the title names him
                    self.add_mention(self.clusters[key], tok.i, tok.i + 1, "PERSON", "nominal", 0.8)
                continue
            if tok.dep_ == "compound" and nominal.coarse != "ORGANIZATION":
                if self._product_of_maker(tok, nominal, table):  # "car" in "the largest car maker"
                    self._add_nominal(tok, tok.i, nominal)
                continue
            start = self._nominal_start(tok)
            if nominal.coarse == "PERSON" and self._title_apposition(tok, start):
                continue
            self._add_nominal(tok, start, nominal)

    def _title_apposition(self, head: Token, start: int) -> bool:
        """'the US envoy to the coalition Brett McGurk', 'the company's chief executive, Jane Roe':
        a role phrase right before a person's name denotes that person (a mention of the name's
        node); a role word from titles.tsv with an organisation in the phrase also gives a fact."""
        appos = [c for c in head.rights if c.dep_ == "appos"]
        right = max(head.i, (appos[0].left_edge.i - 1) if appos else head.right_edge.i)
        if right - head.i > 8 or right + 1 >= len(self.doc):
            return False
        nxt = right + 1
        if self.doc[nxt].text == "," and nxt + 1 < len(self.doc):
            nxt += 1
        key = self.token_cluster.get(nxt)
        cluster = self.clusters.get(key) if key else None
        if cluster is None or cluster.cls != "Person" or (nxt > 0 and self.token_cluster.get(nxt - 1) == key):
            return False
        if any(i in self.mentioned for i in range(start, head.i + 1)):
            return False
        self.add_mention(cluster, start, head.i + 1, "PERSON", "nominal", 0.8)
        self.mentioned.update(range(start, head.i + 1))
        found = title_ending_at(self.doc, head.i + 1, load_titles())
        predicate = found[1] if found else load_titles().get((head.lemma_.lower(),))
        if predicate and predicate != "-":  # decided once every nominal has its node ("envoy to the coalition")
            end_tok = self.doc[nxt]
            name_end = max(
                (m.end for m in cluster.mentions if m.start == end_tok.idx), default=end_tok.idx + len(end_tok)
            )
            self.pending_roles.append((cluster.key, predicate, head, right, self.doc[start].idx, name_end))
        return True

    def add_role_relations(self) -> None:
        """The facts of role phrases before names, once the organisations in them are resolved."""
        for person, predicate, head, right, start, end in self.pending_roles:
            org = self._role_organisation(head, right)
            if org is not None and org.key != person:
                self._relation(person, predicate, org.key, start, end)

    def _role_organisation(self, head: Token, right: int) -> Cluster | None:
        """The organisation (or state) a role phrase names: the object of its 'to/of/for/at'
        ("envoy to the coalition") first, else a modifier ("the US envoy", "the company's chief")."""

        def org_at(i: int) -> Cluster | None:
            key = self.token_cluster.get(i)
            c = self.clusters.get(key) if key else None
            return c if c is not None and c.coarse in ("ORGANIZATION", "GPE") else None

        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "of", "for", "at") and prep.i <= right:
                for obj in prep.children:
                    if obj.dep_ == "pobj" and org_at(obj.i) is not None:
                        return org_at(obj.i)
        for child in head.lefts:
            if child.dep_ in ("poss", "compound", "nmod", "amod") and org_at(child.i) is not None:
                return org_at(child.i)
        return None

    @staticmethod
    def _product_of_maker(tok: Token, nominal: Nominal, table: dict[str, Nominal]) -> bool:
        """A product noun modifying a firm noun ("car manufacturer", "auto makers") names the
        product line: a mention of its own inside the firm's nominal."""
        head = table.get(tok.head.lemma_.lower()) or table.get(tok.head.lower_)
        return (
            nominal.cls in ("Product", "Vehicle")
            and head is not None
            and head.coarse == "ORGANIZATION"
            and tok.head.i > tok.i
        )

    def _nominal_start(self, head: Token) -> int:
        """Left edge of the nominal phrase: determiners and modifiers directly before the head."""
        start = head.i
        for child in sorted(head.lefts, key=lambda t: -t.i):
            if child.dep_ not in NOMINAL_MODIFIERS or child.i in self.mentioned:
                break
            sub = list(child.subtree)
            simple = (
                sub[-1].i == start - 1
                and len(sub) <= 4
                and all(
                    t is child or (t.dep_ in NOMINAL_MODIFIERS and (t.pos_ != "NOUN" or t.dep_ == "compound"))
                    for t in sub
                )
            )
            if not simple and child.i != start - 1:
                break
            left = sub[0].i if simple else child.i
            if any(i in self.mentioned for i in range(left, child.i)):
                left = child.i
            start = left
        return start

    def _add_nominal(self, head: Token, start: int, nominal: Nominal) -> None:
        span = self.doc[start : head.i + 1]
        determiners = {t.lower_ for t in span if t.dep_ == "det"} | self._determiners(head)
        has_poss = any(c.dep_ == "poss" for c in head.children)
        definite = bool(determiners & DEFINITE) or has_poss
        plural = head.tag_ in ("NNS", "NNPS")
        bare = not determiners and not has_poss and not any(t.like_num for t in span)
        lemma = head.lemma_.lower()
        self.nominal_mods[head.idx] = self._identity_modifiers(head)
        state = self._modifier_state(head)
        if state is not None and nominal.coarse == "ORGANIZATION":
            label = f"{state.label} {lemma}"
            cluster = self.cluster(
                slug(label), label=label, cls=nominal.cls, rule="nominal+demonym", country=state.country
            )
            cluster.fixed_coarse = nominal.coarse
            self.add_mention(cluster, start, head.i + 1, nominal.coarse, "nominal", 0.8)
            return
        named = self._named_place(head, nominal)
        if named is not None:  # "the town of Albu Kamal": a mention of the named place
            self.add_mention(named, start, head.i + 1, named.coarse, "nominal", 0.8)
            self._record_nominal(lemma, head.idx, named.key)
            return
        antecedent = None
        if definite or (bare and (plural or nominal.coarse == "ORGANIZATION")):
            antecedent = self._nominal_antecedent(head, nominal, lemma, definite=definite, plural=plural)
        elif self._repeated_indefinite(head, nominal, determiners, plural):
            antecedent = self._same_head_antecedent(head, lemma)
        if antecedent is not None:
            self.add_mention(antecedent, start, head.i + 1, nominal.coarse, "nominal", 0.6)
            self._record_nominal(lemma, head.idx, antecedent.key)
            return
        key = doc_scoped_key(lemma, self.doc_id, span.text, span.start_char)
        label = strip_determiner(span.text)
        cluster = self.cluster(
            key, label=label, cls=nominal.cls, rule="nominal", doc_scoped=True, confidence=0.7, lemma=lemma
        )
        cluster.fixed_coarse = nominal.coarse
        cluster.count = self.counts.get(head.i)
        self.add_mention(cluster, start, head.i + 1, nominal.coarse, "nominal", 0.7)
        self._record_nominal(lemma, head.idx, cluster.key)

    @staticmethod
    def _determiners(head: Token) -> set[str]:
        """The determiners of a nominal, wherever its mention starts ("the Iraqi border": the
        demonym is a mention of its own, the article still makes the noun definite); a bare
        conjunct shares its first conjunct's ("a small bridge and road")."""
        dets = {c.lower_ for c in head.lefts if c.dep_ == "det"}
        if not dets and head.dep_ == "conj" and head.head.i < head.i and head.tag_ == head.head.tag_:
            dets = {c.lower_ for c in head.head.lefts if c.dep_ == "det"}
        return dets

    def _named_place(self, head: Token, nominal: Nominal) -> Cluster | None:
        """'the town of X', 'the Russian city of Ryazan': the place named in the of-phrase of a
        place noun, whose node the noun's mention joins."""
        if nominal.cls not in ("PopulatedPlace", "Region") or not nominal.refers:
            return None  # "the border of Syria", "the outskirts of X": not X itself
        for prep in head.rights:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    key = self.token_cluster.get(obj.i) if obj.dep_ == "pobj" else None
                    cluster = self.clusters.get(key) if key else None
                    if cluster is None or cluster.coarse not in ("GPE", "LOCATION") or obj.i not in self.mentioned:
                        continue
                    # a place of the kind the noun names; an uncurated name's class is only the NER default
                    if cluster.cls in nominal.refers or (
                        cluster.rule == "ner" and cluster.cls in ("PopulatedPlace", "Region")
                    ):
                        return cluster
        return None

    def _repeated_indefinite(self, head: Token, nominal: Nominal, determiners: set[str], plural: bool) -> bool:
        """'a road' again after 'a road' in one article: the same road unless the text tells them
        apart ("another road", "a second road", other identity modifiers).  Only for the classes
        of things a report keeps coming back to (REPEATED_INDEFINITE_CLASSES)."""
        if (
            plural
            or nominal.cls not in REPEATED_INDEFINITE_CLASSES
            or not determiners <= {"a", "an"}
            or not determiners
        ):
            return False
        distinguishing = load_word_list("distinguishing_modifiers.txt")
        return not any(t.lower_ in distinguishing for t in head.subtree if t.i < head.i)

    def _modifier_state(self, head: Token):
        """'Iraqi forces', 'the Syrian government': the state a demonym/place modifier names."""
        for child in head.lefts:
            if child.dep_ in ("amod", "compound", "poss"):
                key = self.token_cluster.get(child.i)
                if key and self.clusters[key].cls == "State":
                    return self.clusters[key]
        return None

    def _nominal_antecedent(
        self, head: Token, nominal: Nominal, lemma: str, definite: bool, plural: bool
    ) -> Cluster | None:
        """The node this nominal repeats.

        1. the latest earlier nominal with the same head noun ("the convoy" ... "the convoy"),
           unless it counted a different group;
        2. for a definite nominal ("the militants", "the group"), the most *salient* named node
           of a fitting class: frequent and recent mentions both count, so a passing mention
           of another actor in the previous clause does not steal the reference;
        3. the only node of a specific class in the article ("the coalition", "coalition
           spokesman" when one coalition is named), however far back it was named.
        Nodes coordinated with the nominal ("Hizballah and the militants") or co-arguments of
        its verb ("Hizballah attacked the militants") are never its antecedent."""
        same = self._same_head_antecedent(head, lemma)
        if same is not None or not nominal.refers:
            return same
        excluded = self._disjoint_keys(head)
        candidates = [c for c in self._fitting_clusters(nominal.refers, head.idx) if c.key not in excluded]
        if definite:
            salient = self._most_salient(head, candidates)
            if salient is not None:
                return salient
        if (definite or not plural) and nominal.refers <= SPECIFIC_CLASSES and len(candidates) == 1:
            only = candidates[0]
            if "nominal" not in only.rule:
                only.rule += "+nominal"
            return only
        return None

    def _record_nominal(self, lemma: str, pos: int, key: str) -> None:
        """Note a nominal with this head noun (in text order) and keep a running tally per node."""
        self.nominal_heads.setdefault(lemma, []).append((pos, key))
        tally = self.nominal_tally.setdefault(lemma, {})
        tally[key] = (tally[key][0] + 1 if key in tally else 1, pos)

    def _same_head_antecedent(self, head: Token, lemma: str) -> Cluster | None:
        """The node of the latest earlier nominal with this head noun (if the counts agree, and
        this one names no group the earlier one did not: "Kurdish fighters" are not "IS fighters")."""
        count = self.counts.get(head.i)
        mods = self.nominal_mods.get(head.idx, frozenset())
        if not mods and count is None:  # every earlier nominal fits: read the running tally, not the list
            tally = self.nominal_tally.get(lemma, {})
            if not tally:
                return None
            best = max(tally, key=lambda k: (tally[k][0], len(self.clusters[k].mentions), tally[k][1]))
            return self.clusters[best]
        seen: dict[str, int] = {}  # fitting node -> its earlier nominals with this head
        for pos, key in reversed(self.nominal_heads.get(lemma, ())):
            if pos >= head.idx:
                continue
            cluster = self.clusters[key]
            if cluster.count and count not in (None, cluster.count):
                continue
            if mods and not mods <= self.nominal_mods.get(pos, frozenset()):
                continue
            if mods:
                return cluster
            seen[key] = seen.get(key, 0) + 1
        # An unmodified "the fighters" with several groups of fighters before it repeats the
        # most often mentioned one: most nominals with this head, then most mentions of any kind
        # ("the border town" after "the town of X" named three times and "the town of Y" once),
        # and max keeps the first, i.e. the latest, on a tie.
        return self.clusters[max(seen, key=lambda k: (seen[k], len(self.clusters[k].mentions)))] if seen else None

    def _identity_modifiers(self, head: Token) -> frozenset[str]:
        """Modifiers saying whose or which group a nominal is: names, demonyms ("IS fighters",
        "Kurdish and Arab fighters", "Hizballah's fighters"), with their conjuncts."""
        out: set[str] = set()
        stack = [c for c in head.lefts if c.dep_ in ("amod", "compound", "nmod", "poss")]
        while stack:
            t = stack.pop()
            if t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "ORG") or t.i in self.token_cluster:
                out.add(t.lower_)
                stack.extend(c for c in t.children if c.dep_ == "conj")
        return frozenset(out)

    def _fitting_clusters(self, classes: frozenset[str], before: int) -> list[Cluster]:
        """Nodes of one of `classes` named before char offset `before` (antecedents precede)."""
        first = self.first_name_start
        return [
            c
            for c in self.clusters.values()
            if c.cls in classes and not c.doc_scoped and first.get(c.key, before) < before
        ]

    def _most_salient(self, head: Token, candidates: list[Cluster]) -> Cluster | None:
        """Salience = sum over earlier mentions of kind weight x decay^(sentences back),
        among nodes mentioned within SALIENCE_WINDOW sentences; ties go to the latest."""
        sent = self.sentence_of(head.i)
        best, best_score = None, (0.0, -1)
        for cluster in candidates:
            earlier = [m for m in cluster.mentions if m.start < head.idx]
            if not earlier or max(m.sentence for m in earlier) < sent - SALIENCE_WINDOW:
                continue
            score = sum(MENTION_WEIGHT.get(m.kind, 0.3) * SALIENCE_DECAY ** (sent - m.sentence) for m in earlier)
            key = (round(score, 6), max(m.start for m in earlier))
            if key > best_score:
                best, best_score = cluster, key
        return best

    def _disjoint_keys(self, head: Token) -> set[str]:
        """Nodes that cannot be this nominal's referent: its conjuncts and its verb's other arguments."""
        top = head
        while top.dep_ == "conj" and top.head.i != top.i:
            top = top.head
        tokens, stack = [], [top]
        while stack:
            t = stack.pop()
            tokens.append(t)
            stack.extend(c for c in t.children if c.dep_ == "conj")
        verb = top.head
        if top.dep_ in CORE_ARGS and verb.pos_ in ("VERB", "AUX"):
            tokens.extend(c for c in verb.children if c.dep_ in CORE_ARGS)
            tokens.extend(g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj")
        return {self.token_cluster[t.i] for t in tokens if t.i != head.i and t.i in self.token_cluster}
