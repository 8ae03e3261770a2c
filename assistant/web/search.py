"""Search over the knowledge base's facts for the agent console, as an agent types.

German-aware without a heavy pipeline: every word is compared in both umlaut spellings
(ä→ae and ä→a), with ß→ss, case endings and plural umlauts folded ("Länder", "Ländern", "Land"
all become "land"), as a prefix of a longer word (so results appear while typing and "mitglied"
finds "Mitgliedschaft"), and with typo tolerance (rapidfuzz ratio). Subject names and the German
topic of a fact weigh most, then the answer, then notes and source titles. A fact from the
city's own (primary) source wins a tie.

spaCy's lemmas are not used: loading spaCy imports TensorFlow (seconds and hundreds of MB per
process), and the folding above covers what agents type; verb forms come in through the topic
keywords below ("gegründet" for the founding date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from assistant.knowledge import Fact, KnowledgeBase
from assistant.knowledge.names import spellings, stem, words

MAX_QUERY_CHARS = 200
DEFAULT_LIMIT = 10

# German label of each attribute, and words agents use for it (shown and searched).
ATTRIBUTES: dict[str, tuple[str, str]] = {
    "description": ("Beschreibung", "Was ist das Überblick Netzwerk Forum"),
    "goals": ("Ziele", "Ziel Zweck Aufgabe Aufgaben Satzung"),
    "values": ("Werte", "Grundwerte Manifest"),
    "principle": ("Arbeitsweise", "Grundsatz Prinzip Städte helfen Städten"),
    "topics": ("Themen", "Thema Schwerpunkte Themenschwerpunkte"),
    "offers": ("Angebote", "Angebot Leistungen Vorteile Nutzen Fortbildung Projekte"),
    "events": ("Veranstaltungen", "Treffen Workshops Termine"),
    "founding_date": ("Gründung", "gegründet Gründungsdatum Gründungsjahr Gründungsort wann seit"),
    "founding_place": ("Gründungsort", "gegründet Gründung wo"),
    "founder": ("Gründer", "gegründet Gründung Initiative Initiator"),
    "patron": ("Schirmherrschaft", "Schirmherr Gründung"),
    "member_count": ("Mitgliederzahl und Länder", "Mitglieder Anzahl wie viele Länder Staaten"),
    "countries": ("Länder", "Staaten Mitgliedsländer"),
    "member_cities": ("Mitgliedsstädte", "Mitglieder Mitglied Städte Kommunen Liste"),
    "legal_form": ("Rechtsform", "Verein e.V. eingetragener Verein gemeinnützig"),
    "seat": ("Sitz", "Geschäftsstelle Hauptsitz Adresse wo"),
    "leadership": ("Leitung", "Vorstand Vorsitz Exekutivkomitee Präsident leitet"),
    "national_forums": ("Nationale Foren", "Länder Sektionen national"),
    "website": ("Website", "Internetseite Homepage Webseite Link Internet"),
    "funding": ("Finanzierung", "Geld Beiträge Beitrag Kosten finanziert"),
    "join_conditions": ("Beitritt", "Mitglied werden Voraussetzungen beitreten Bedingungen"),
    "audience": ("Zielgruppe", "für wen richtet sich"),
    "relation": ("Verhältnis der Netzwerke", "Zusammenhang Beziehung Sektion Unterschied"),
    "city_membership": ("Mitgliedschaft der Stadt", "Mitglied Mitgliedschaft seit wann dabei"),
    "city_motivation": ("Gründe der Stadt", "warum Beitritt Motivation Nutzen"),
    "participation": ("Teilnahme der Stadt", "Mitgliederversammlung teilgenommen Veranstaltung"),
}

# Field weights: a subject or topic word says what a fact is about, an answer word only that it
# mentions something.
SUBJECT, TOPIC, ANSWER, VALUE, NOTE, SOURCE = "subject", "topic", "answer", "value", "note", "source"
WEIGHTS = {SUBJECT: 3.0, TOPIC: 2.5, ANSWER: 1.0, VALUE: 1.0, NOTE: 0.6, SOURCE: 0.5}
EXACT, PREFIX, FUZZY = 1.0, 0.8, 0.6
MIN_PREFIX = 3
MIN_FUZZY = 4
FUZZY_CUTOFF = 80.0
# Hits far below the best one only bury it (for "efus sitz": every fact that mentions Efus).
RELATIVE_CUTOFF = 0.3

# Words that say nothing about which fact is meant.
STOP_WORDS = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "und", "oder", "ist", "sind", "war", "wurde", "wurden", "hat", "haben", "wie", "was", "wer",
    "wo", "wann", "warum", "welche", "welcher", "welches", "gibt", "es", "bei", "von", "vom", "zu",
    "zum", "zur", "im", "in", "an", "am", "auf", "für", "mit", "ich", "sie", "wir", "man", "mir",
    "uns", "noch", "auch", "schon", "nicht", "kein", "keine", "bitte", "mal", "denn", "dann",
    "doch", "ja", "nein", "über",
))


def keys(word: str) -> set[str]:
    """Comparison keys of one word: both umlaut spellings, each also stemmed."""
    found = set()
    for spelling in spellings(word):
        found.add(spelling)
        found.add(stem(spelling))
    found.add(stem(word))
    return {key for key in found if key}


def label(attribute: str) -> str:
    return ATTRIBUTES.get(attribute, (attribute.replace("_", " "), ""))[0]


@dataclass(frozen=True)
class Hit:
    fact: Fact
    score: float


class FactIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._order = {fact.id: position for position, fact in enumerate(kb.facts)}
        # key -> fact id -> best field weight
        self._postings: dict[str, dict[str, float]] = defaultdict(dict)
        topics = self._question_topics()
        for fact in kb.facts:
            for field, text in self._fields(fact, topics):
                for word in words(text):
                    for key in keys(word):
                        current = self._postings[key].get(fact.id, 0.0)
                        self._postings[key][fact.id] = max(current, WEIGHTS[field])
        self._vocabulary = sorted(self._postings)

    def _question_topics(self) -> dict[str, list[str]]:
        """The German topic of every question an attribute answers ("zur Gründung")."""
        topics: dict[str, list[str]] = defaultdict(list)
        for question in self.kb.questions.values():
            for attribute in question.attributes:
                topics[attribute].append(question.topic)
        return topics

    def _fields(self, fact: Fact, topics: dict[str, list[str]]) -> Iterable[tuple[str, str]]:
        subject = self.kb.subjects.get(fact.subject)
        if subject is not None:
            yield SUBJECT, " ".join((subject.id, subject.name, subject.long_name, *subject.aliases))
        if fact.network and fact.network in self.kb.subjects:
            network = self.kb.subjects[fact.network]
            yield TOPIC, " ".join((network.id, network.name))
        name, keywords = ATTRIBUTES.get(fact.attribute, (fact.attribute.replace("_", " "), ""))
        yield TOPIC, " ".join((name, keywords, *topics.get(fact.attribute, ())))
        yield ANSWER, fact.answer
        yield VALUE, " ".join(_value_words(fact.value))
        if fact.note:
            yield NOTE, fact.note
        yield SOURCE, " ".join(source.title for source in (*fact.sources, *fact.note_sources))

    def _matches(self, term: str) -> dict[str, float]:
        """Vocabulary keys that match a query word, with the quality of the match."""
        found: dict[str, float] = {}
        term_keys = keys(term)
        for key in term_keys:
            if key in self._postings:
                found[key] = EXACT
        for key in term_keys:
            if len(key) < MIN_PREFIX:
                continue
            for candidate in self._vocabulary:
                if candidate.startswith(key) and candidate not in found:
                    found[candidate] = PREFIX
        longest = max(term_keys, key=len)
        if len(longest) >= MIN_FUZZY:
            for candidate, score, _ in process.extract(
                longest, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
            ):
                found.setdefault(candidate, FUZZY * score / 100)
        return found

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
        terms = [word for word in words(query) if word.casefold() not in STOP_WORDS]
        if not terms:
            terms = words(query)
        if not terms:
            return []
        totals: dict[str, float] = defaultdict(float)
        matched: dict[str, int] = defaultdict(int)
        for term in terms:
            best: dict[str, float] = {}
            for key, quality in self._matches(term).items():
                for fact_id, weight in self._postings[key].items():
                    best[fact_id] = max(best.get(fact_id, 0.0), weight * quality)
            for fact_id, score in best.items():
                totals[fact_id] += score
                matched[fact_id] += 1
        hits = []
        for fact_id, total in totals.items():
            # A fact that matches every word of the query beats one that matches a few strongly.
            coverage = matched[fact_id] / len(terms)
            fact = self.kb.fact(fact_id)
            assert fact is not None
            hits.append(Hit(fact, round(total * coverage * coverage, 4)))
        hits.sort(key=lambda hit: (-hit.score, not hit.fact.is_primary, self._order[hit.fact.id]))
        top = hits[0].score if hits else 0.0
        return [hit for hit in hits if hit.score >= top * RELATIVE_CUTOFF][:limit]


def _value_words(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _value_words(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _value_words(item)
    elif isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool):
        yield str(value)
