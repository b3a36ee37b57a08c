"""Pronoun mentions (mixed into DocEntities, see nodes.py): third-person pronouns join the
closest fitting node, relative pronouns their noun, first-person pronouns in a quotation its
speaker; expletive "it" is no mention."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from spacy.tokens import Token

from .data import speech_verbs
from .tokens import inside_quote, token_indices
from .types import OTHER_CLASSES, ORG_CLASSES, doc_scoped_key

if TYPE_CHECKING:
    from .types import Cluster

PRON_PERSON = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
PRON_FIRST = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
PRON_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
PRON_SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves"})
PRON_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
PRON_IT = frozenset({"it", "its", "itself"})
PRON_RELATIVE = frozenset({"who", "whom", "whose"})
PERSON_CLASSES = frozenset({"Person"})
PLURAL_CLASSES = frozenset({"PeopleGroup"}) | ORG_CLASSES - {"MediaOrganisation"}
PRON_INDEFINITE_PERSON = frozenset(
    {"others", "anyone", "everyone", "someone", "somebody", "nobody", "everybody", "anybody"}
)


class PronounMentions:
    """The pronoun steps of DocEntities."""

    pronoun_index: list[tuple] | None  # set by DocEntities

    def add_pronouns(self) -> None:
        """Third-person pronouns first (so "he told AFP" names a quote's speaker), then first person."""
        doc = self.doc
        candidates = [
            doc[i]
            for i in token_indices(doc, ("PRON",), ("PRP", "PRP$", "WP", "WP$", "WDT", "WRB"), PRON_INDEFINITE_PERSON)
            if i not in self.token_cluster
        ]
        for tok in candidates:
            self._third_person(tok)
        for tok in candidates:
            low = tok.lower_
            if tok.i in self.token_cluster or low not in PRON_FIRST | PRON_SECOND or tok.text == "US":
                continue
            target = self._quote_speaker(tok) if low in PRON_FIRST else None
            if target is None and low in PRON_FIRST_PLURAL:
                continue  # an unresolved "we" may be a person, a group or a state: no guess
            self._pronoun(tok, target, "PERSON")

    def _third_person(self, tok: Token) -> None:
        low = tok.lower_
        reporter = self._reporting_subject(tok) if low in PRON_PERSON | PRON_PLURAL | PRON_IT else None
        if reporter is not None and _agrees(low, reporter):
            self._pronoun(tok, reporter, "PERSON" if low in PRON_PERSON else reporter.coarse)
        elif low in PRON_PERSON:
            self._pronoun(tok, self._recent(tok, PERSON_CLASSES, sentences=3), "PERSON")
        elif low in PRON_PLURAL:
            target = self._recent(tok, PLURAL_CLASSES, sentences=2)
            self._pronoun(tok, target, target.coarse if target else "PERSON")
        elif low in PRON_IT:
            if low == "its" or not _expletive_it(tok):
                target = self._recent(tok, ORG_CLASSES | OTHER_CLASSES, sentences=2)
                if target is not None:
                    self._pronoun(tok, target, target.coarse)
        elif low in PRON_RELATIVE:
            target = self._relative_antecedent(tok)
            if target is not None and target.coarse == "PERSON":
                self._pronoun(tok, target, "PERSON")
        elif low in PRON_INDEFINITE_PERSON:
            self._pronoun(tok, None, "PERSON")
        elif low in ("which", "that") and tok.tag_ in ("WDT", "WP") and tok.head.dep_ == "relcl":
            target = self._relative_antecedent(tok)
            if target is not None:
                self._pronoun(tok, target, target.coarse)
        elif low == "where" and tok.tag_ == "WRB":
            target = self._relative_antecedent(tok)
            if target is not None and target.coarse in ("GPE", "LOCATION"):
                self._pronoun(tok, target, target.coarse)
            elif target is None:
                self._pronoun(tok, None, "LOCATION")

    def _relative_antecedent(self, tok: Token) -> Cluster | None:
        """'the men who ...': the node of the noun a relative clause modifies."""
        if tok.head.dep_ != "relcl":
            return None
        key = self.token_cluster.get(tok.head.head.i)
        return self.clusters[key] if key else None

    def _pronoun(self, tok: Token, target: Cluster | None, coarse: str) -> None:
        if target is None:
            key = doc_scoped_key("pronoun", self.doc_id, tok.text, tok.idx)
            cls = {"PERSON": "Person", "LOCATION": "Region"}.get(coarse, "Thing")
            target = self.cluster(
                key, label=tok.text, cls=cls, rule="pronoun-unresolved", doc_scoped=True, confidence=0.3
            )
            target.fixed_coarse = coarse
            self.add_mention(target, tok.i, tok.i + 1, coarse, "pronoun", 0.3)
        else:
            self.add_mention(target, tok.i, tok.i + 1, coarse, "pronoun", 0.6)

    def _recent(self, tok: Token, classes: frozenset[str], sentences: int) -> Cluster | None:
        """The node of the closest preceding name or nominal of one of `classes`, named at most
        `sentences` sentences back.  Walks back from the pronoun through the mention index, so a
        pronoun costs the mentions of its few sentences, not the whole document's."""
        index = self._mention_index()
        sent = self.sentence_of(tok.i)
        i = bisect.bisect_left(index, (tok.idx, -len(index) - 1)) - 1
        while i >= 0:
            sentence = index[i][2]
            if sentence < sent - sentences:
                break
            cluster = index[i][3]
            if cluster.cls in classes:
                return cluster
            i -= 1
        return None

    def _mention_index(self) -> list[tuple]:
        """(start, -node order, sentence, node) of every name and nominal mention, by start; on
        one start the earliest node comes last, so a backward walk meets it first."""
        if self.pronoun_index is None:
            rows: list[tuple] = []
            for order, cluster in enumerate(self.clusters.values()):
                if cluster.rule == "pronoun-unresolved":
                    continue
                rows.extend((m.start, -order, m.sentence, cluster) for m in cluster.mentions if m.kind != "pronoun")
            rows.sort(key=lambda r: (r[0], r[1]))
            self.pronoun_index = rows
        return self.pronoun_index

    def _reporting_subject(self, tok: Token) -> Cluster | None:
        """'The US said it was monitoring ...': the subject of the reporting verb whose reported
        clause has this pronoun as its subject."""
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return None
        verb = tok.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        if verb.dep_ != "ccomp" or verb.head.lemma_ not in speech_verbs():
            return None
        for child in verb.head.children:
            if child.dep_ == "nsubj" and child.i < tok.i:
                key = self.token_cluster.get(child.i)
                return self.clusters.get(key) if key else None
        return None

    def _quote_speaker(self, tok: Token) -> Cluster | None:
        """'"...I..." X said' / 'X said: "...I..."': the subject of the speech verb of the quote."""
        if not inside_quote(self.doc, tok.i, self.text):
            return None
        sent_i = self.sentence_of(tok.i)
        for s in self.sents[max(0, sent_i - 1) : sent_i + 2]:
            for t in s:
                if t.lemma_ in speech_verbs() and not inside_quote(self.doc, t.i, self.text):
                    for child in t.children:
                        if child.dep_ == "nsubj":
                            key = self.token_cluster.get(child.i)
                            if key and self.clusters[key].cls == "Person":
                                return self.clusters[key]
        return None


def _expletive_it(tok: Token) -> bool:
    """'It is clear that ...', 'it was reported': a dummy subject, not a reference."""
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if head.lemma_ in ("be", "seem", "appear", "remain", "become", "take", "rain", "matter"):
        return True
    return (
        any(c.dep_ in ("ccomp", "xcomp") and c.i > head.i for c in head.children) and head.lemma_ not in speech_verbs()
    )


def _agrees(pronoun: str, cluster: Cluster) -> bool:
    """Number and animacy: he/she a person; they a group (people, organisations, a plural
    nominal); it a non-person that is not a counted group of people."""
    if pronoun in PRON_PERSON:
        return cluster.cls in PERSON_CLASSES
    if pronoun in PRON_PLURAL:
        return cluster.cls in PLURAL_CLASSES
    return cluster.cls not in PERSON_CLASSES | {"PeopleGroup", "Date", "Quantity"}
