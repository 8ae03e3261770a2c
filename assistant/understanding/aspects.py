"""Which kind of question a message asks, and whether the sources hold the aspect it asks about.

The intent model always picks *some* kind of question, even for "Welche Sprache spricht man auf
den Efus-Konferenzen?", where the sources say nothing about languages. So the words of the
question are checked against what the facts of that kind can answer: the kind's `keywords` and
the facts' own words (questions.yml). A content word that neither holds, or a word that asks for
what no fact holds (vocabulary.yml: amounts, names of people, the future), makes the question
one about an aspect the knowledge base does not cover — unless another kind the intent model
also considered covers every word ("efus staaten" is about members, not the legal form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from assistant.knowledge import KnowledgeBase
from assistant.knowledge.names import stem, words
from assistant.understanding.premise import predicate_nouns as premise_predicates

# How many of the intent model's best guesses are considered, and how close a typo may be.
CANDIDATES = 3
_TYPO_SCORE = 86
_MIN_TYPO_LENGTH = 6
_MIN_PART = 4
_LINKS = ("s", "es", "n", "en", "-")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Markup is never part of a question (and never repeated back): "<script>" names no aspect.
_MARKUP = re.compile(r"<[^>]*>")
_QUESTION_WORDS = {"wann", "wo", "wer", "wie", "was", "warum", "wieso", "weshalb", "welche", "welcher",
                   "welches", "welchen", "woher", "wohin", "wofür", "wozu", "ob", "seit", "inwiefern"}


# Colloquial determiners spaCy's German list lacks ("gibts dazu irgendwelche berichte").
_MORE_STOP_WORDS = ("irgendwelche", "irgendwelchen", "irgendwelcher", "irgendwelches", "irgendwas", "sowas")


def _stop_words() -> frozenset[str]:
    # spaCy's curated stop-word lists, German and English (spaCy is part of the stack anyway).
    from spacy.lang.de.stop_words import STOP_WORDS as GERMAN
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH

    return frozenset(stem(word) for word in (*GERMAN, *ENGLISH, *_MORE_STOP_WORDS))


# A quoted name with the word before it: "im Manifest „Security, Democracy and Cities“".
_NAMED = re.compile(r"(?:[\w-]+\s+)?[„“\"«»][^„“\"«»]+[“”\"«»]")


@dataclass(frozen=True)
class Word:
    text: str  # as the citizen wrote it
    key: str  # comparison key: case, umlaut spelling and endings folded


@dataclass(frozen=True)
class Aspect:
    """The outcome: a kind of question the facts answer, or the citizen's word for one they don't."""

    kind: str | None
    unknown_word: str | None = None
    claimable: bool = False  # the unknown words could be a claim's values, not an unknown aspect
    alternatives: tuple[str, ...] = ()  # other kinds that fit as well (for asking back)
    related: bool = False  # whether any word of the question belongs to some kind at all


def focus(text: str) -> str:
    """The part of a message that asks the question: its last question, from the question word on.

    "Ich schreibe für die Schülerzeitung und wollte fragen, wann Efus gegründet wurde." is about
    the founding; the words before the question say nothing about the aspect asked for.
    """
    sentences = [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]
    if not sentences:
        return ""
    questions = [sentence for sentence in sentences if "?" in sentence]
    sentence = (questions or sentences)[-1]
    clauses = sentence.split(",")
    for index in range(len(clauses) - 1, 0, -1):
        first = words(clauses[index])[:1]
        if first and first[0].casefold() in _QUESTION_WORDS:
            return ",".join(clauses[index:])
    return sentence


class AspectMatcher:
    """Decides, for one knowledge base, which kinds of question cover the words of a message."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._general = {stem(word) for word in kb.vocabulary.general}
        self._person = {stem(word) for word in kb.vocabulary.handoff}
        self._markers: dict[str, str] = {}
        # "hoch+beitrag": "hoch" asks for an amount only beside a word containing "beitrag".
        self._paired: dict[str, list[tuple[str, str]]] = {}
        for name, group in kb.vocabulary.not_in_sources.items():
            for entry in group:
                head, plus, companion = entry.partition("+")
                if plus:
                    self._paired.setdefault(stem(head), []).append((stem(companion), name))
                else:
                    self._markers[stem(entry)] = name
        self._names = {stem(word) for subject in kb.subjects.values()
                       for name in (subject.name, subject.long_name, subject.id, *subject.aliases)
                       for word in words(name)}
        self._keywords: dict[str, set[str]] = {}
        self._explicit: dict[str, bool] = {}
        self._fact_words: dict[str, set[str]] = {}
        self._named_words: dict[str, set[str]] = {}
        for kind, question in kb.questions.items():
            answers = [fact.answer for fact in kb.facts if fact.attribute in question.attributes]
            self._fact_words[kind] = {stem(word) for answer in answers for word in words(answer)}
            # What the facts give a name for: the words of a quoted name and the word before it
            # (the manifesto „Security, Democracy and Cities“, the „DEFUS-Monitor Sicherheitsgefühl“),
            # not "EU-Projekt" in "in einem EU-Projekt", whose name they do not give.
            self._named_words[kind] = {stem(part) for answer in answers for match in _NAMED.finditer(answer)
                                       for word in words(match.group(0)) for part in (word, *word.split("-"))
                                       if part}
            # The topic names what the kind is about too ("zu den Arbeitssprachen").
            # A stop word that is also a marker ("heißt": a name) stays the kind's keyword: "Was
            # heißt Efus ausgeschrieben?" asks for the name the description spells out.
            self._keywords[kind] = {stem(word) for text in (*question.keywords, question.topic)
                                    for word in words(text)
                                    if stem(word) not in self._stop or stem(word) in self._markers}
            self._explicit[kind] = bool(question.keywords)

    @cached_property
    def _stop(self) -> frozenset[str]:
        return _stop_words()

    # -- words -------------------------------------------------------------------------------

    def content_words(self, text: str) -> list[Word]:
        """Words of the question's focus that could name an aspect: no stop words, names, numbers."""
        found = []
        # "Efus-Konferenzen" is read as its parts: the name, and the aspect "Konferenzen".
        tokens = [part for token in words(focus(_MARKUP.sub(" ", text))) for part in token.split("-") if part]
        for token in tokens:
            key = stem(token)
            if key in self._markers or key in self._paired:  # "Wie hoch …": a stop word elsewhere
                found.append(Word(token, key))
                continue
            if (len(key) < 3 or any(char.isdigit() for char in key) or key in self._stop
                    or key in self._general or key in self._names or self.kb.resolve_city(token)):
                continue
            found.append(Word(token, key))
        return found

    def known_elsewhere(self, key: str, kind: str) -> bool:
        """Whether another kind's own words contain the word ("Mitglieder": the members)."""
        return any(key in keywords for other, keywords in self._keywords.items() if other != kind)

    def marker(self, text: str, kind: str) -> str | None:
        """How the question names what no fact of that kind holds, if it uses such a word
        ("Who is the president of Efus?" → „president“); the only check English gets."""
        content = self.content_words(text)
        markers = [word for word in content if self._is_marker(word, kind, content, text)]
        return self._shown(markers, content) if markers else None

    def wants_person(self, text: str) -> bool:
        """Whether the message uses a word of a citizen who wants to talk to a person."""
        return any(stem(part) in self._person for token in words(text) for part in token.split("-"))

    def asked_detail(self, text: str, groups: Sequence[str]) -> str | None:
        """The noun with which a question asks for a detail of one of these `not_in_sources`
        groups ("Haben Sie eine E-Mail-Adresse?" → „E-Mail-Adresse“), as the citizen wrote it."""
        if "?" not in text:
            return None
        for token in words(_MARKUP.sub(" ", text)):
            parts = [part for part in token.split("-") if part]
            if token[:1].isupper() and any(
                    self._marker_name(Word(part, stem(part))) in groups for part in [token, *parts]):
                return token
        return None

    def claim_words(self, text: str, kind: str) -> list[str]:
        """What a claim asserts ("… doch in Spanien gegründet, oder?" → "Spanien"): its words
        without stop words, network names and the words that only say what is asked."""
        # What the claim says something is ("DEFUS ist eine GmbH") is claimed even where the
        # kind's questions use the word.
        predicates = {stem(noun) for noun in premise_predicates(text)}
        keywords = self._keywords.get(kind, set()) - predicates
        tokens = [part for token in words(_MARKUP.sub(" ", text)) for part in token.split("-") if part]
        return [token for token in tokens
                if (key := stem(token)) not in self._stop and key not in self._general
                and key not in self._names and key not in keywords and len(key) >= 3
                and not key.isdigit()]

    def unknown_nouns(self, text: str, kind: str) -> list[str]:
        """The nouns of a question that neither that kind's words nor a city name cover
        ("Brüssel" in "Hat Efus ein Büro in Brüssel?"), as the citizen wrote them."""
        first = next(iter(words(text)), "")
        vocabulary = self._vocabulary(kind)
        # Typed all in lower case ("gibts die auch auf deutsch"), a noun cannot be told by its
        # capital: every word the vocabulary does not know counts.
        lower = text == text.lower()
        return [word for word in self.claim_words(text, kind)
                if (word[:1].isupper() or lower) and word != first and not self.kb.find_cities(word)
                and not self._known(stem(word), vocabulary)]

    def _vocabulary(self, kind: str) -> set[str]:
        return self._keywords.get(kind, set()) | self._fact_words.get(kind, set())

    def _known(self, key: str, vocabulary: set[str], depth: int = 0) -> bool:
        if key in vocabulary or key in self._general or key in self._stop or key in self._names:
            return True
        if depth < 2:
            # German compounds: "Gründungsjahr" = "Gründung" + s + "Jahr".
            for split in range(_MIN_PART, len(key) - _MIN_PART + 1):
                head, rest = key[:split], key[split:]
                if head not in vocabulary and head not in self._names and head not in self._general:
                    continue
                for link in ("", *_LINKS):
                    part = rest[len(link):]
                    if (rest.startswith(link) and len(part) >= _MIN_PART - 1
                            and self._known(stem(part), vocabulary, depth + 1)):
                        return True
        if depth == 0 and any(len(known) >= _MIN_PART + 1 and key.endswith(known) for known in vocabulary):
            return True  # a compound whose head is known: "Hauptaufgabe", "Vereinsrecht"
        if len(key) >= _MIN_TYPO_LENGTH:
            match = process.extractOne(key, vocabulary, scorer=fuzz.ratio, score_cutoff=_TYPO_SCORE)
            if match is not None:
                return True
        return False

    def _is_marker(self, word: Word, kind: str, content: Sequence[Word] = (), text: str = "") -> bool:
        # A marker the facts themselves use is part of an answer ("Mitarbeiterinnen" in a topic),
        # and a keyword of the kind is what it answers ("Internetadresse" for the website).
        keywords = self._keywords.get(kind, set())
        if word.key in self._fact_words.get(kind, set()) or word.key in keywords or any(
                len(word.key) >= _MIN_PART and keyword.endswith(word.key) for keyword in keywords):
            return False
        name = self._marker_name(word, content)
        if name in self.kb.vocabulary.name_groups:
            # "Wie heißt das Manifest?": the facts name the manifesto. What is asked to be named
            # is the first noun after the marker ("Wie hieß das EU-Projekt, in dem der
            # DEFUS-Monitor …": the project, whose name the facts do not give).
            if text:
                tokens = [Word(part, stem(part)) for token in words(focus(_MARKUP.sub(" ", text)))
                          for part in token.split("-") if part]
            else:
                tokens = list(content)
            keys = [token.key for token in tokens]
            after = tokens[keys.index(word.key) + 1:] if word.key in keys else tokens
            named = next((other for other in after if other.text[:1].isupper() and other.key not in self._names
                          and self._marker_name(other, content) is None), None)
            if named is not None and named.key in self._named_words.get(kind, set()):
                return False
        return name is not None

    def _marker_name(self, word: Word, content: Sequence[Word] = ()) -> str | None:
        if word.key in self._markers:
            return self._markers[word.key]
        for companion, name in self._paired.get(word.key, ()):
            if any(companion in other.key for other in content if other is not word):
                return name
        # Compounds: "Mitarbeiterzahl" ends, "Praktikumsplätze" and "Telefonnr" start with a marker.
        return next((name for marker, name in self._markers.items()
                     if (len(marker) >= _MIN_PART and word.key.endswith(marker))
                     or (len(marker) >= _MIN_TYPO_LENGTH + 1 and word.key.startswith(marker))), None)

    def uncovered(self, kind: str, content: Iterable[Word]) -> list[Word]:
        """The words of the question that kind's facts do not answer, markers first."""
        vocabulary = self._vocabulary(kind)
        content = list(content)
        markers = [word for word in content if self._is_marker(word, kind, content)]
        if not self._explicit.get(kind):
            # A kind an editor added without keywords: its facts' words alone would be too few to
            # judge by, so only the markers count until keywords are written (docs/redaktion.md).
            return markers
        others = [word for word in content if word not in markers and not self._known(word.key, vocabulary)]
        return markers + others

    def fact_word(self, text: str) -> str | None:
        """A word of the question that only the facts' own texts use ("Bonnemaison",
        "Exekutivkomitee"), as the citizen wrote it: what it is about is in the sources."""
        facts = set().union(*self._fact_words.values()) - self._general
        return next((word.text for word in self.content_words(text)
                     if len(word.key) >= _MIN_TYPO_LENGTH and word.key in facts), None)

    def belongs_anywhere(self, content: Iterable[Word]) -> bool:
        vocabularies = [self._vocabulary(kind) for kind in self.kb.questions]
        return any(self._known(word.key, vocabulary) and word.key not in self._general
                   for word in content for vocabulary in vocabularies)

    # -- deciding ----------------------------------------------------------------------------

    def choose(self, text: str, ranking: Sequence[str], unsure: bool = False) -> Aspect:
        """The kind of question to answer, or the aspect the facts do not hold.

        `ranking` lists knowledge-question intents, most likely first. Of the first few, the one
        whose vocabulary covers the most content words wins (the intent model's order breaks
        ties). The question is about an aspect without facts when it uses a word that asks for
        what no fact holds (vocabulary.yml: the intent model cannot know what the sources lack),
        or, when the intent model is unsure (`unsure`), a word that no kind covers at all.
        """
        kinds = [kind for kind in ranking if kind in self.kb.questions][:CANDIDATES]
        content = self.content_words(text)
        related = self.belongs_anywhere(content)
        if not kinds:
            return Aspect(None, related=related)
        # A marker counts for no kind here: "Vorsitzende" in a fact about DEFUS's audience does
        # not make "Wer ist Vorsitzender von DEFUS?" a question about the audience.
        plain = [word for word in content if self._marker_name(word, content) is None]
        covered = {kind: len(plain) - len(self.uncovered(kind, plain)) for kind in kinds}
        chosen = max(kinds, key=lambda kind: (covered[kind], -kinds.index(kind)))
        if plain and not covered[chosen]:
            # The words name one other kind unmistakably ("Wer hatte die Idee zu Efus?" is about
            # the founding, whatever the model guessed).
            named = [kind for kind in self.kb.questions if kind not in kinds and self._explicit.get(kind)
                     and plain and not self.uncovered(kind, content)]
            if len(named) == 1:
                return Aspect(named[0], related=True)
        missing = self.uncovered(chosen, content)
        markers = [word for word in missing if self._is_marker(word, chosen, content, text)]
        # Nouns only (German capitalises them; not the first word): a verb such as "gelten" or
        # "braucht" says how something is asked, a noun such as "Müllabfuhr" what is asked for.
        first = next(iter(words(focus(text))), "")
        novel = [word for word in missing if word.text[:1].isupper() and word.text != first
                 and not self.covered_anywhere(word)]
        if markers or (unsure and novel):
            return Aspect(chosen, unknown_word=self._shown(markers or novel or missing, content),
                          claimable=not markers, related=related)
        # Kinds whose words fit as well as the chosen one's; nothing fits "better" than nothing.
        alternatives = tuple(kind for kind in kinds
                             if kind != chosen and covered[kind] == covered[chosen] > 0)
        return Aspect(chosen, alternatives=alternatives, related=True)

    def covered_anywhere(self, word: Word) -> bool:
        return any(self._known(word.key, self._vocabulary(kind)) for kind in self.kb.questions)

    def _shown(self, missing: Sequence[Word], content: Sequence[Word] = ()) -> str:
        """How the aspect is named: a marker as the citizen wrote it if it is a noun („Präsident“),
        else its group's name („Kosten“ for "kostet"); otherwise the citizen's first unknown noun
        („Sprache“ rather than "spricht"), else the first unknown word."""
        for word in missing:
            name = self._marker_name(word, content)
            if name:
                return word.text if word.text[:1].isupper() else name
        nouns = [word for word in missing if word.text[:1].isupper()]
        return (nouns or list(missing))[0].text
