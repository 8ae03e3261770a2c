"""Which facet of a fact a question asks for — its time, place, people, number, duration, reasons.

"Wann hat die Geschäftsstelle von Efus geöffnet?" is a question about the seat, but it asks for a
time, and the fact about the seat names only a place: answering with it would answer a question
nobody asked. Each fact says in the knowledge base which facets its text answers (or which other
fact answers one), and vocabulary.yml says which words ask for which facet. Follow-ups use the same
facets: "Und in welcher Stadt?" after the founding asks for the founding's place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Sequence

from assistant.knowledge import Fact, KnowledgeBase
from assistant.knowledge.names import stem, words

# "Wer ist Mitglied?", "Wer steckt dahinter?": who-questions are asked of nearly every kind of
# fact, so a missing "who" facet does not make a question unanswerable; it still picks the facts
# of a follow-up ("Wer war das?").
NOT_REQUIRED = frozenset({"who"})


@dataclass(frozen=True)
class Asked:
    facets: tuple[str, ...]  # in the order the question asks them
    spans: frozenset[int]  # positions of the question's words that only say which facet
    text: str = ""  # the question

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(facet for facet in self.facets if facet not in NOT_REQUIRED)


class FacetReader:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.labels = {facet: entry.label for facet, entry in kb.vocabulary.facets.items()}
        self._also = {facet: entry.also for facet, entry in kb.vocabulary.facets.items()}
        self._replaces = {facet: entry.replaces for facet, entry in kb.vocabulary.facets.items()}
        phrases = [(tuple(stem(word) for word in words(phrase)), facet)
                   for facet, entry in kb.vocabulary.facets.items() for phrase in entry.words]
        # The longest phrase first: "wie viele Tage" is a duration, not a number.
        self._phrases = sorted((phrase for phrase in phrases if phrase[0]), key=lambda item: -len(item[0]))

    def asked(self, text: str) -> Asked:
        keys = [stem(word) for word in words(text)]
        taken: set[int] = set()
        found: list[tuple[int, str]] = []
        for phrase, facet in self._phrases:
            size = len(phrase)
            for start in range(len(keys) - size + 1):
                span = set(range(start, start + size))
                if tuple(keys[start:start + size]) == phrase and not span & taken:
                    taken |= span
                    found.append((start, facet))
        ordered = tuple(dict.fromkeys(facet for _, facet in sorted(found)))
        narrowed = {replaced for facet in ordered for replaced in self._replaces.get(facet, ())}
        ordered = tuple(facet for facet in ordered if facet not in narrowed)
        return Asked(ordered, frozenset(taken), text)

    def answering(self, facts: Sequence[Fact], facets: Sequence[str],
                  content: Collection[str] = ()) -> list[Fact]:
        """The facts that answer the facets asked: those whose text states one, and the facts
        they name for one ("why" of the founding is the goals), in the order given. With them,
        a fact whose text has a word of the question ("Unter wessen Schirmherrschaft …?": the
        founding names the patron, although its "who" is the initiator). Facts without facets
        always count."""
        chosen: list[Fact] = []
        also = [other for facet in facets for other in self._also.get(facet, ()) if other not in facets]
        for fact in facts:
            stated = fact.facets or {}
            held = [facet for facet in facets if facet in stated]
            for facet in held or also:
                value = stated.get(facet)
                if value is None:
                    continue
                target = self.kb.fact(value) or fact
                if target not in chosen:
                    chosen.append(target)
        if chosen and content:
            for fact in facts:
                keys = self.keys(fact)
                if fact not in chosen and any(self.mentions(keys, key) for key in content):
                    chosen.append(fact)
        # A fact an editor added without facets may answer anything its kind answers: it is
        # never left out for want of them.
        chosen.extend(fact for fact in facts if fact.facets is None and fact not in chosen)
        return chosen

    @staticmethod
    def keys(fact: Fact) -> set[str]:
        return {stem(word) for word in words(fact.answer)}

    @staticmethod
    def mentions(keys: Collection[str], key: str) -> bool:
        """Whether a fact's words hold the word, or a compound starting with it ("Schirmherr") or,
        for a longer word, ending in it ("Versammlung": "Mitgliederversammlung")."""
        return key in keys or (len(key) >= 5 and any(known.startswith(key) for known in keys)) or (
            len(key) >= 7 and any(known.endswith(key) for known in keys))

    def label(self, facet: str) -> str:
        return self.labels.get(facet, "Dazu")
