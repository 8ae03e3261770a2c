"""Turns one understood question into German replies built only from knowledge-base facts.

This is the whole conversation logic of a knowledge question, in plain Python: which network
or city is meant (also from the conversation so far), which facts answer it, how sources and
as-of dates are named, and what to say when the sources say nothing. Rasa actions only
translate between Rasa's tracker and these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

from assistant.knowledge import Fact, KnowledgeBase, MembershipStatus, Question, Source
from assistant.knowledge.base import OTHER_NETWORK, Membership
from assistant.knowledge.names import stem, words
from assistant.redaction import MARKER as REDACTED
from assistant.understanding import language, places, premise
from assistant.understanding.aspects import CANDIDATES, Aspect, AspectMatcher, focus
from assistant.understanding.facets import Asked, FacetReader
from assistant.understanding.language import ENGLISH_NOTE, OTHER_LANGUAGE_NOTE, Language, detect

FOLLOW_UP_INTENT = "inform_network"
# "Und wo?", "Wer war das?": a detail of what was just answered, read against its facets.
DETAIL_INTENT = "ask_detail"
# "Woher wissen Sie das?": the sources of the last answer.
SOURCE_INTENT = "ask_source"
DEFAULT_QUESTION = "ask_purpose"
MEMBERSHIP_QUESTION = "ask_membership"
# Intents that mean the NLU is unsure or sees no knowledge question; the answerer looks again.
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
HANDOFF_INTENT = "request_human"
NOT_UNDERSTOOD_RESPONSE = "utter_default"
OUT_OF_SCOPE_RESPONSE = "utter_out_of_scope"
# Intents the answer action takes without a kind of question of their own in questions.yml, and
# the domain's responses it sends itself (no rule names them).
ANSWERED_WITHOUT_KIND = (FOLLOW_UP_INTENT, DETAIL_INTENT, SOURCE_INTENT, FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)
RESPONSES_SENT_BY_ACTION = (NOT_UNDERSTOOD_RESPONSE, OUT_OF_SCOPE_RESPONSE)
_MAX_SHOWN_WORD = 40
NOTHING_TO_CITE = ("Zu meiner letzten Antwort kann ich keine Quelle nennen, denn zu dieser Frage habe ich keine "
                   "gesicherten Informationen. Gern beantworte ich Ihnen eine andere Frage zu Efus oder DEFUS.")
NO_ANSWER_YET = ("Zu jeder Antwort nenne ich ihre Quelle. Stellen Sie mir gern zuerst Ihre Frage zu Efus oder "
                 "DEFUS.")
# Facets that ask about an event by its verb ("Wann wurde es verabschiedet?").
_EVENT_FACETS = {"when", "since", "day", "where", "how_long"}
# A short question that names no network and no city ("Und in welcher Stadt?", "Wann war das?",
# "Warum?") is about what was just answered: the last kind of question leads the candidates.
_ELLIPTICAL = re.compile(r"^\s*(?:und|aber|also|ach|ok|okay|auch|inwiefern|inwieweit|"
                         r"wann|wo|wer|wie|was|warum|wieso|weshalb|welche\w*|"
                         r"seit|auf|in|mit|von|durch|bei|an|aus|unter|für|zu|nach|vor|wessen|wem)\b", re.IGNORECASE)
_ELLIPTICAL_MAX_WORDS = 6
# "Wer war Gilbert Bonnemaison?": a name alone, asked who it is.
_WHO_IS = re.compile(r"^\s*wer\s+(?:war|ist|sind|waren)\s+(?:eigentlich\s+|denn\s+)?"
                     r"([^\W\d_][\w.-]*(?:\s+[^\W\d_][\w.-]*){0,3}?)\s*\?*\s*$", re.IGNORECASE)
_MAX_IDENTITY_FACTS = 2
_GENERIC_HEADS = frozenset({"stadt", "die", "der", "das"})
_SAFE_NAME = re.compile(r"[^\W\d_][\w .'’-]{0,48}", re.UNICODE)
# "Ist unsere Stadt bei DEFUS?": the citizen's city is the one this assistant serves
# (contact.yml's `city`), which the sources describe; "meine Heimatstadt" is not meant.
_OWN_CITY = re.compile(r"\b(?:meine|unsere|meiner|unserer|unserem|meinem)\s+(?:Stadt|Kommune|Gemeinde)\b|"
                       r"\bhier bei uns\b|\bbei uns in der (?:Stadt|Stadtverwaltung|Verwaltung)\b|"
                       r"\b(?:unsere|unserer)\s+(?:Stadtverwaltung|Verwaltung)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """A button: `title` is shown; a click asks `question` (else the pending one) about `network`."""

    title: str
    network: str | None
    question: str | None = None


@dataclass(frozen=True)
class Message:
    text: str
    choices: tuple[Choice, ...] = ()
    response: str | None = None  # a response of the domain (e.g. "nicht verstanden") instead of text
    # The sources its "Quelle: …" footer cites, in that order: sent beside the text as structured
    # data, so the widget can show them as linked titles (REST clients keep the plain footer).
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Context:
    """What the conversation remembers between turns."""

    network: str | None = None
    question: str | None = None
    city: str | None = None  # the city of a membership question, kept for "und bei DEFUS?"
    referent: str | None = None  # the fact the last answer was about, for "Und wo?"
    answered: tuple[str, ...] = ()  # every fact the last answer stated, for "Woher wissen Sie das?"


@dataclass(frozen=True)
class Turn:
    intent: str
    text: str = ""
    networks: tuple[str, ...] = ()  # entity values as NLU found them
    cities: tuple[str, ...] = ()
    context: Context = field(default_factory=Context)
    ranking: tuple[str, ...] = ()  # the intent model's other guesses, most likely first


@dataclass(frozen=True)
class Reply:
    messages: tuple[Message, ...]
    context: Context
    facts: tuple[Fact, ...] = ()
    handoff: bool = False  # the citizen wants a person: the human route instead of messages


def format_date(value) -> str:
    return value.strftime("%d.%m.%Y")


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_german(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def cited_sources(facts: Iterable[Fact]) -> tuple[Source, ...]:
    """Every source the facts use (a note's too), each once, in the order the footer names them."""
    sources: list[Source] = []
    for fact in facts:
        for source in (*fact.sources, *(fact.note_sources if fact.note else ())):
            if source not in sources:
                sources.append(source)
    return tuple(sources)


def source_footer(facts: Iterable[Fact]) -> str:
    """"Quelle: …" with every source used, and "Stand: …" where a fact may change."""
    facts = list(facts)
    sources = cited_sources(facts)
    label = "Quelle" if len(sources) == 1 else "Quellen"
    footer = f"{label}: " + "; ".join(source.citation() for source in sources)
    dates = [fact.as_of for fact in facts if fact.as_of]
    if dates:
        footer += f"\nStand: {format_date(max(dates))}"
    return footer


def facts_text(facts: Sequence[Fact]) -> str:
    body = " ".join(fact.answer for fact in facts)
    notes = " ".join(fact.note for fact in facts if fact.note)
    if notes:
        body += f"\n\nHinweis: {notes}"
    return f"{body}\n\n{source_footer(facts)}"


def facts_message(facts: Sequence[Fact]) -> Message:
    """The facts' answer with its footer, and the footer's sources beside it."""
    return Message(facts_text(facts), sources=cited_sources(facts))


def prefixed(reply: Reply, sentence: str) -> Reply:
    """The reply with one sentence in front of its first message."""
    first, *rest = reply.messages
    if first.response or not first.text:
        return replace(reply, messages=(Message(sentence), *reply.messages))
    return replace(reply, messages=(replace(first, text=f"{sentence} {first.text}"), *rest))


def judged(reply: Reply, verdict: premise.Verdict) -> Reply:
    """The reply with the verdict on the citizen's claim in front. A membership answer's own
    "Ja, …" stays only under a confirmation: "Das kann ich so nicht bestätigen. Bochum ist seit
    2023 Mitglied von Efus.", not "… bestätigen. Ja, Bochum …"."""
    first, *rest = reply.messages
    if verdict is not premise.Verdict.CONFIRMED and first.text.startswith("Ja, "):
        reply = replace(reply, messages=(replace(first, text=capitalize(first.text[4:])), *rest))
    return prefixed(reply, verdict.value)


class Answerer:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.aspects = AspectMatcher(kb)
        self.facets = FacetReader(kb)
        self._network_ids = {subject.id for subject in kb.networks()}
        # The city this assistant serves (contact.yml), which "meine Stadt" means.
        self._served_city = kb.subject(kb.contact.city).name
        language.load()

    # -- entry point -----------------------------------------------------------------------

    def unheld_detail(self, text: str) -> str | None:
        """What a citizen who wants a person also asks for that the sources do not hold ("eine
        E-Mail-Adresse von DEFUS"), unless it is the city's own contact and contact.yml has it."""
        word = self.aspects.asked_detail(text, self.kb.vocabulary.handoff_details)
        contact = self.kb.contact
        if word and not self.kb.find_networks(text) and (contact.phone or contact.email or contact.url):
            return None
        return word

    def reply(self, turn: Turn) -> Reply:
        if REDACTED in turn.text:
            # The input guard replaced personal data before anyone read the message; its marker
            # is no word of the question ("Tel. [entfernt] Wann wurde DEFUS gegründet?").
            turn = replace(turn, text=" ".join(turn.text.replace(REDACTED, " ").split()))
        turn = self._with_described_network(turn)
        language = detect(turn.text)
        if language is Language.OTHER:
            return Reply((Message(OTHER_LANGUAGE_NOTE),), turn.context)
        reply = self._understood_reply(turn, language)
        if reply.facts and reply.context.referent is None:
            # What was just answered is the referent of the next elliptical question; of an answer
            # from several subjects' facts, the first about the network the question named ("In
            # welchen Ländern gibt es nationale Foren von Efus?": Efus's forums, not DEFUS).
            about = self._referent_of(reply.facts, turn.text)
            reply = replace(reply, context=replace(reply.context, referent=about.id))
        if reply.facts:
            answered = tuple(fact.id for fact in reply.facts)
        elif reply.context.referent and reply.context.referent == turn.context.referent:
            answered = turn.context.answered  # still about the same answer ("Wann war das?")
        else:
            answered = ()
        reply = replace(reply, context=replace(reply.context, answered=answered))
        referent = self.kb.fact(reply.context.referent or "")
        if (reply.context.network is None and referent is not None and referent.subject in self._network_ids
                and reply.facts and {fact.subject for fact in reply.facts} == {referent.subject}):
            # A question that named both networks, answered by facts about one of them, leaves
            # that one for "es": "Bekommt DEFUS Geld von Efus?" → "Welche Beiträge sind das?" is
            # still about DEFUS. An answer from both networks' facts leaves none.
            reply = replace(reply, context=replace(reply.context, network=referent.subject))
        return prefixed(reply, ENGLISH_NOTE) if language is Language.ENGLISH and reply.messages else reply

    def _named_facts(self, facts: list[Fact], text: str, kind: str) -> list[Fact]:
        """Of a kind's facts, those that hold a noun of the question that only some of them
        hold: "Was ist der DEFUS-Monitor?" is answered by the monitor, not by every offer. A
        noun another kind is about ("Mitgliedern") singles out nothing."""
        keys = {key for key in self._content_keys(focus(text)) if not self.aspects.known_elsewhere(key, kind)}
        if len(facts) < 2 or not keys:
            return facts

        def names(fact: Fact) -> bool:
            # Whole words and the parts of hyphenated ones ("DEFUS-Monitor"), not the ends of
            # compounds: "Veranstaltungen" does not single out "Präsenzveranstaltungen".
            own = {part for key in self.facets.keys(fact) for part in (key, *key.split("-"))}
            return any(key in own for key in keys)

        named = [fact for fact in facts if names(fact)]
        return named or facts

    def _referent_of(self, facts: Sequence[Fact], text: str) -> Fact:
        """Of the facts an answer gave, the one the question was about: the one whose text holds
        most of the question's nouns, the first of equals ("In welchen Ländern gibt es nationale
        Foren von Efus?" is about Efus's national forums, although DEFUS's relation comes first)."""
        keys = self._content_keys(focus(text))
        if len(facts) < 2 or not keys:
            return facts[0]
        scores = [sum(self.facets.mentions(self.facets.keys(fact), key) for key in keys) for fact in facts]
        return facts[scores.index(max(scores))]

    def _with_described_network(self, turn: Turn) -> Turn:
        """ "Welche Ziele hat das Netzwerk mit Sitz in Paris?" is read as "… hat Efus?": the
        description names the network; its words ("Sitz") are not what is asked."""
        if self.kb.named_networks(turn.text):
            return turn
        described = self.kb.described_network(turn.text)
        if described is None:
            return turn
        network, start, end = described
        text = f"{turn.text[:start]}{self.kb.subject(network).name}{turn.text[end:]}"
        return replace(turn, text=text, networks=(network,))

    def _understood_reply(self, turn: Turn, language: Language) -> Reply:
        """Decide what is asked: the intent, checked against the words of the question."""
        if turn.intent == SOURCE_INTENT:
            if not any(self.aspects.covered_anywhere(word) for word in self.aspects.content_words(turn.text)):
                return self._source_reply(turn)
            # "Welche Beiträge sind das?" names what it asks about: not a request for the source.
            turn = replace(turn, intent=FALLBACK_INTENT)
        if turn.intent == FOLLOW_UP_INTENT:
            kind = turn.context.question or DEFAULT_QUESTION
            # "Und DEFUS?" names only a network; "efus telefonnr" also asks for what no fact holds.
            marker = self.aspects.marker(turn.text, kind)
            if marker:
                return self._unknown_aspect(Aspect(kind, unknown_word=marker), turn)
            return self._answer(kind, turn)
        if turn.text.startswith("/") and turn.intent in self.kb.questions:
            return self._answer(turn.intent, turn)  # a button the assistant offered
        if HANDOFF_INTENT in turn.ranking[:CANDIDATES] and self.aspects.wants_person(turn.text):
            return Reply((), turn.context, handoff=True)
        if (turn.intent == MEMBERSHIP_QUESTION and premise.is_yes_no(turn.text) and not turn.cities
                and not self.kb.find_cities(turn.text) and places.country_in(focus(turn.text))):
            # "Ist Österreich bei Efus vertreten?" asks about a country's membership, whatever
            # its verb resembles ("vertreten": who represents).
            return self._answer(MEMBERSHIP_QUESTION, turn)
        unsure = turn.intent in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, DETAIL_INTENT)
        identity = self._identity_reply(turn) if unsure else None
        if identity is not None:
            return identity
        ranking = list(dict.fromkeys(kind for kind in (turn.intent, *turn.ranking) if kind in self.kb.questions))
        if _OWN_CITY.search(focus(turn.text)) or (self._served_city in self.kb.find_cities(focus(turn.text))
                                                   and premise.is_yes_no(turn.text)):
            # "Seit wann ist meine Stadt im europäischen Netzwerk?" asks about Bochum's role,
            # whatever else the words resemble.
            # "Ist unsere Stadt bei Efus?" (or "Ist Bochum bei DEFUS?") is answered yes or no,
            # where no other kind's words fit better; "Warum …?" by the city's role.
            roles = [kind for kind, question in self.kb.questions.items() if question.subject == "city"]
            yes_no = premise.is_yes_no(turn.text)
            city_kinds = [MEMBERSHIP_QUESTION, *roles] if yes_no else [*roles, MEMBERSHIP_QUESTION]
            ranking = [*city_kinds, *(kind for kind in ranking if kind not in city_kinds)]
        named = bool(self.kb.find_networks(turn.text))
        follow_up = self._is_follow_up(turn, named)
        asked = self.facets.asked(focus(turn.text))
        if follow_up and turn.context.referent and asked.facets:
            # "Wie viele sind das?" after an answer from two facts is about the one that holds
            # a number; "Wie viele sitzen da drin?", which the NLU cannot place, about the
            # referent when it holds the facet, whatever its verb resembles ("sitzen": the seat).
            turn = replace(turn, context=replace(turn.context, referent=self._answered_referent(turn, asked)))
            # "Wie viele Städte sind heute dabei?" after the founding: the intent model is sure
            # it is about the members, whose facts hold the number the founding does not.
            elsewhere = (not unsure and turn.intent in self.kb.questions and turn.intent != turn.context.question
                         and not self._referent_holds(turn.context.referent, asked)
                         and self._holds_facet(turn.intent, asked.facets, turn))
            if not elsewhere and self._only_facets(turn.text, asked, turn.context.referent, lenient=(
                    unsure and len(turn.context.answered) <= 1
                    and self._referent_holds(turn.context.referent, asked))):
                referent_reply = self._referent_reply(turn, asked)
                if referent_reply is not None:
                    return referent_reply
        if follow_up:
            # The last answer's kind becomes a candidate: it leads when the NLU is unsure, else it
            # wins only where its words fit the question better than the NLU's first guess.
            others = [kind for kind in ranking if kind != turn.context.question]
            # Where the NLU's first guess is the last kind already, it keeps the lead; so does the
            # last kind when no network is known to ask the first guess about and the question's
            # nouns are the last answer's own ("Welche Länder sind das genau?" after the national
            # forums in six countries, an answer about both networks).
            position = 0 if (unsure or ranking[:1] == [turn.context.question]
                             or (not self._networks(turn) and self._repeats_answer(turn))) else 1
            ranking = [*others[:position], turn.context.question, *others[position:]]
        if unsure and asked.facets:
            # "Auf wessen Initiative geht Efus zurück?": when the intent model is unsure, the kinds
            # whose facts hold the facet asked for lead ("who": the founding, not the topics).
            holding = [kind for kind in ranking if self._holds_facet(kind, asked.facets, turn)]
            ranking = [*holding, *(kind for kind in ranking if kind not in holding)]
        if language is Language.ENGLISH:
            # The German vocabulary cannot judge English words: trust the intent model, but
            # only about the networks when it is unsure.
            if not ranking or (unsure and not named):
                return self._not_understood(turn)
            marker = self.aspects.marker(turn.text, ranking[0])
            if marker:
                return self._unknown_aspect(Aspect(ranking[0], unknown_word=marker), turn)
            reply = self._answer(ranking[0], turn, asked)
            if reply.facts and premise.is_claim(turn.text):
                names = [word for word in premise.english_claim_words(turn.text)
                         if not self.kb.find_networks(word)]
                reply = judged(reply, premise.judge(names, turn.text, reply.facts))
            return reply
        aspect = self.aspects.choose(turn.text, ranking, unsure)
        # Unsure or out of scope: only a question that names a network is looked at again, or,
        # when the NLU was merely unsure, one whose words belong to a kind of question.
        relates = named or follow_up or (turn.intent == FALLBACK_INTENT and aspect.related)
        if aspect.kind is not None and turn.intent == OUT_OF_SCOPE_INTENT and not relates:
            # "Welcher Partei gehörte Gilbert Bonnemaison an?": about someone or something the
            # facts name, but not what they say about it. Honest, never the nearest fact.
            named_in_facts = self.aspects.fact_word(turn.text)
            if named_in_facts:
                missing = self.aspects.uncovered(aspect.kind, self.aspects.content_words(turn.text))
                shown = next((word.text for word in missing if word.text[:1].isupper()), named_in_facts)
                return self._unknown_aspect(replace(aspect, unknown_word=shown), turn)
        if aspect.kind is None or (unsure and not relates):
            return self._not_understood(turn)
        if self._asks_city_since(aspect.kind, asked, turn):
            aspect = Aspect(MEMBERSHIP_QUESTION, related=True)
        claim = premise.is_claim(turn.text)
        if aspect.unknown_word and not (claim and aspect.claimable):
            return self._unknown_aspect(aspect, turn)
        alternatives = aspect.alternatives
        if asked.facets and self._holds_facet(aspect.kind, asked.facets, turn):
            # "Seit wann ist meine Stadt da Mitglied?": of two kinds that fit, only the one whose
            # facts hold the time asked for can answer it; no need to ask back.
            alternatives = tuple(kind for kind in alternatives if self._holds_facet(kind, asked.facets, turn))
        if unsure and alternatives and not claim:
            # A claim ("Stimmt es, dass Bochum Gründungsmitglied war?") is judged against the
            # first kind's facts rather than answered with a question back.
            return self._ask_which_question(aspect.kind, alternatives[0], turn)
        reply = self._answer(aspect.kind, turn, asked)
        if not reply.facts:
            return reply
        if set(asked.facets) & _EVENT_FACETS and not claim:
            # "Wann wurde es verabschiedet?", "Wann ist er gestorben?": asked when or where,
            # the verb names the event, and no kind of question knows that event.
            events = [word for word in self.aspects.uncovered(aspect.kind, self.aspects.content_words(turn.text))
                      if word.text.islower() and len(word.key) >= 6 and not self.aspects.covered_anywhere(word)]
            if events:
                return self._unknown_aspect(replace(aspect, unknown_word=events[0].text), turn)
        if (not claim and premise.is_yes_no(turn.text) and not premise.is_either_or(turn.text)
                and MEMBERSHIP_QUESTION not in (aspect.kind, turn.intent)):
            # "Hat Efus auch ein Büro in Brüssel?" is not answered by the seat in Paris: a yes-or-no
            # question whose words the answering facts do not contain is not known to be so.
            # Its main clause says what is asked; a relative clause after it describes ("…
            # eine Befragung, die misst, wie sicher sich Menschen fühlen").
            main_clause = turn.text.split(",")[0]
            missing = premise.unconfirmed(self.aspects.unknown_nouns(main_clause, aspect.kind), reply.facts)
            if missing:
                return self._unknown_aspect(replace(aspect, unknown_word=missing[0]), turn)
        if not claim and premise.is_yes_no(turn.text) and MEMBERSHIP_QUESTION not in (aspect.kind, turn.intent):
            # "Sitzt Bochum bei Efus auch im Vorstand?": a city the answering facts do not name.
            said = " ".join(fact.answer for fact in reply.facts)
            # Only a city written as such: the NLU's fuzzy city entity finds "Geldern" in "Geld".
            unnamed = [city for city in self._cities(turn) if city not in said and city.lower() in turn.text.lower()]
            if unnamed and self.kb.questions[aspect.kind].subject == "network":
                return self._unknown_aspect(replace(aspect, unknown_word=unnamed[0]), turn)
        counted = premise.counted_only(focus(turn.text), reply.facts)
        if counted and not claim and len({fact.subject for fact in reply.facts}) == 1:
            return self._unknown_aspect(replace(aspect, unknown_word=counted[0]), turn)
        kind_counted = premise.uncounted_kind(focus(turn.text), reply.facts)
        if kind_counted and not claim:
            return self._unknown_aspect(replace(aspect, unknown_word=kind_counted), turn)
        years = premise.unmatched_years(turn.text, reply.facts)
        if years and not (claim or premise.is_yes_no(turn.text)):
            return self._unknown_aspect(replace(aspect, unknown_word=years[0]), turn)
        if claim or years:
            words = self.aspects.claim_words(turn.text, aspect.kind)
            reply = judged(reply, premise.judge(words, turn.text, reply.facts))
        return reply

    def _identity_reply(self, turn: Turn) -> Reply | None:
        """ "Wer war Gilbert Bonnemaison?": who someone the facts name is, as far as they say —
        the facts that name him or her, nothing about the person beyond them."""
        match = _WHO_IS.match(focus(turn.text))
        name = match.group(1) if match else ""
        if (not name or not all(word[:1].isupper() for word in name.split()) or self.kb.find_networks(name)
                or self.kb.find_cities(name)):
            return None
        facts = [fact for fact in self.kb.facts if name in fact.answer]
        if not facts or len(facts) > _MAX_IDENTITY_FACTS:
            return None  # not a person the facts mention in passing
        kind = next((kind for kind, question in self.kb.questions.items()
                     if facts[0].attribute in question.attributes), None)
        return Reply((facts_message(facts),), Context(facts[0].network or turn.context.network, kind), tuple(facts))

    def _holds_facet(self, kind: str, facets: Sequence[str], turn: Turn) -> bool:
        question = self.kb.questions[kind]
        subjects = ([self.kb.contact.city] if question.subject == "city"
                    else self._networks(turn) or [subject.id for subject in self.kb.networks()])
        return any(fact.facets and any(facet in fact.facets for facet in facets)
                   for subject in subjects for fact in self.kb.facts_for(subject, question.attributes))

    def _asks_city_since(self, kind: str | None, asked: Asked, turn: Turn) -> bool:
        """ "Seit wann ist Essen bei Efus?" asks about Essen's membership, not the founding: a
        city named beside "seit wann" that no fact of the chosen kind mentions."""
        question = self.kb.questions.get(kind or "")
        if question is None or question.subject != "network" or kind == MEMBERSHIP_QUESTION:
            return False
        if not {"since", "when"} & set(asked.facets):
            return False
        cities = self._cities(turn)
        facts = [fact for network in self._networks(turn) or [subject.id for subject in self.kb.networks()]
                 for fact in self.kb.facts_for(network, question.attributes)]
        return bool(cities) and not any(city in fact.answer for city in cities for fact in facts)

    def _repeats_answer(self, turn: Turn) -> bool:
        keys = self._content_keys(focus(turn.text))
        facts = [fact for fact_id in turn.context.answered if (fact := self.kb.fact(fact_id))]
        return bool(keys) and any(all(self.facets.mentions(self.facets.keys(fact), key) for key in keys)
                                  for fact in facts)

    def _referent_holds(self, fact_id: str | None, asked: Asked) -> bool:
        fact = self.kb.fact(fact_id or "")
        return fact is not None and any(facet in (fact.facets or {}) for facet in asked.facets)

    def _answered_referent(self, turn: Turn, asked: Asked) -> str | None:
        """Of the facts the last answer stated, the one a follow-up asks about: the one that
        holds most of the question's nouns, then the one that holds the facet asked itself, then
        the referent."""
        ids = dict.fromkeys((turn.context.referent or "", *turn.context.answered))
        facts = [fact for fact_id in ids if (fact := self.kb.fact(fact_id))]
        if len(facts) < 2:
            return turn.context.referent
        keys = self._content_keys(focus(turn.text))

        def score(fact: Fact) -> tuple[int, bool, bool]:
            # A facet that only points to another fact ("since: defus-founding") is a step
            # further away than the referent itself.
            holds = any(self.kb.fact(value) is None for facet, value in (fact.facets or {}).items()
                        if facet in asked.facets)
            nouns = sum(self.facets.mentions(self.facets.keys(fact), key) for key in keys)
            return nouns, holds, fact.id == turn.context.referent

        return max(facts, key=score).id

    def _is_follow_up(self, turn: Turn, named: bool) -> bool:
        """Whether the message is an elliptical question about the last answer."""
        # A city counts as written with its capital: "Wie viele waren da?" names no town Waren.
        cities = [city for city in self.kb.find_cities(turn.text) if city in turn.text]
        if named or turn.networks or turn.cities or turn.context.question not in self.kb.questions or cities:
            return False
        return len(turn.text.split()) <= _ELLIPTICAL_MAX_WORDS and (
            turn.intent == DETAIL_INTENT or bool(_ELLIPTICAL.match(turn.text)))

    def _only_facets(self, text: str, asked: Asked, referent: str | None, lenient: bool = False) -> bool:
        """Whether the question's words only ask for facets ("Und in welcher Stadt war das?") or
        repeat the fact just answered ("Wer war der Schirmherr?" after the founding), not for
        another kind of fact ("Und wie viele Mitglieder?"). `lenient`: a word another kind
        knows is no objection either ("sitzen" in "Wie viele sitzen da drin?")."""
        rest = " ".join(word for index, word in enumerate(words(focus(text))) if index not in asked.spans)
        fact = self.kb.fact(referent or "")
        said = self.facets.keys(fact) if fact else set()
        # A noun no kind of question covers ("Wie viele Leute waren da?") names no other kind:
        # the facet is still asked of the referent. A verb names the event asked about: "Wann ist
        # er gestorben?" is not asked of the founding.
        return all(self.facets.mentions(said, word.key)
                   or (word.text[:1].isupper() and not self.aspects.covered_anywhere(word))
                   or (lenient and self.aspects.covered_anywhere(word))
                   for word in self.aspects.content_words(rest))

    def _referent_reply(self, turn: Turn, asked: Asked) -> Reply | None:
        """A facet of the fact just answered: "Und wo?" after the founding is its place. None
        when the fact does not hold it but the question's words and the intent model point to
        another kind of question."""
        fact = self.kb.fact(turn.context.referent or "")
        if fact is None:
            return None
        context = replace(turn.context, referent=fact.id)
        chosen = self.facets.answering([fact], asked.facets, self._content_keys(turn.text))
        if chosen:
            return Reply((facts_message(chosen),), replace(context, referent=chosen[0].id), tuple(chosen))
        # A word beside the facet may name another kind of question ("Und wer darf da Mitglied
        # werden?" after the funding: the conditions of joining). Without one ("Seit wann gibt es
        # die?") the question is the referent's, even where the intent model sees the founding.
        kind = self.kb.questions.get(turn.intent)
        # The words that ask for the facet are not such a word ("Was wurde da besprochen?").
        rest = " ".join(word for index, word in enumerate(words(focus(turn.text))) if index not in asked.spans)
        if kind is not None and fact.attribute not in kind.attributes and self.aspects.content_words(rest):
            return None
        return Reply((Message(self._facet_unknown(asked.facets[0], fact, fact.network or fact.subject)),),
                     context)

    def _content_keys(self, text: str) -> set[str]:
        # Nouns only: "Schirmherrschaft" names what is asked, "gegründet" only the kind of question.
        return {word.key for word in self.aspects.content_words(text) if word.text[:1].isupper()}

    def _facet_unknown(self, facet: str, fact: Fact, subject_id: str) -> str:
        """ "Zur Dauer der Leitung von Efus liegen mir keine gesicherten Informationen vor." """
        subject = self.kb.subject(subject_id)
        about = fact.referent or f"bei {subject.name}"
        text = f"{self.facets.label(facet)} {about} liegen mir keine gesicherten Informationen vor."
        if subject.website:
            text += f" Mehr erfahren Sie auf der Website von {subject.name}: {subject.website}"
        return text

    def _source_reply(self, turn: Turn) -> Reply:
        """ "Gibt es dazu eine Quelle?": the sources of what was just answered, again."""
        facts = [fact for fact_id in turn.context.answered if (fact := self.kb.fact(fact_id))]
        if not facts:
            # After an honest "not known" there is nothing to cite; before any question, ask for one.
            text = NOTHING_TO_CITE if turn.context.question else NO_ANSWER_YET
            return Reply((Message(text),), turn.context)
        sources = cited_sources(facts)
        intro = "Meine letzte Antwort beruht auf " + ("dieser Quelle:" if len(sources) == 1 else "diesen Quellen:")
        return Reply((Message(f"{intro}\n\n{source_footer(facts)}", sources=sources),), turn.context)

    def _not_understood(self, turn: Turn) -> Reply:
        response = OUT_OF_SCOPE_RESPONSE if turn.intent == OUT_OF_SCOPE_INTENT else NOT_UNDERSTOOD_RESPONSE
        return Reply((Message("", response=response),), turn.context)

    def _unknown_aspect(self, aspect: Aspect, turn: Turn) -> Reply:
        """ "Zum Stichwort „Sprache“ bei Efus liegen mir keine gesicherten Informationen vor." """
        question = self.kb.questions[aspect.kind]
        word = (aspect.unknown_word or "")[:_MAX_SHOWN_WORD]
        networks = [n for n in self._networks(turn) if n != OTHER_NETWORK]
        # "Welche Stadt ist als letzte bei Efus eingetreten?" is about no city in particular.
        about_a_city = bool(turn.cities or self.kb.find_cities(turn.text) or _OWN_CITY.search(turn.text)
                            or turn.context.city)
        if question.subject == "city" and about_a_city:
            city = self.kb.subject(self.kb.contact.city)
            about = f"für {city.name}" + (f" bei {self.kb.subject(networks[0]).name}" if len(networks) == 1 else "")
            pointer = f" Bitte wenden Sie sich an {self.kb.contact.route}."
        else:
            subjects = [self.kb.subject(n) for n in networks] or self.kb.networks()
            about = "bei " + " und ".join(subject.name for subject in subjects)
            pointer = "".join(f" Mehr erfahren Sie auf der Website von {subject.name}: {subject.website}"
                              for subject in subjects if subject.website)
        text = f"Zum Stichwort „{word}“ {about} liegen mir keine gesicherten Informationen vor.{pointer}"
        remembered = networks[0] if len(networks) == 1 else turn.context.network
        return Reply((Message(text),), Context(remembered, aspect.kind, turn.context.city))

    def _ask_which_question(self, first: str, second: str, turn: Turn) -> Reply:
        """Two kinds of question fit equally: "Möchten Sie etwas zur Gründung oder zum Sitz wissen?" """
        networks = [n for n in self._networks(turn) if n != OTHER_NETWORK]
        network = networks[0] if len(networks) == 1 else None
        topics = [self.kb.questions[kind].topic for kind in (first, second)]
        about = f" von {self.kb.subject(network).name}" if network else ""
        text = f"Möchten Sie etwas {topics[0]} oder {topics[1]}{about} wissen?"
        choices = tuple(Choice(capitalize(topic), network, kind)
                        for topic, kind in zip(topics, (first, second), strict=True))
        return Reply((Message(text, choices),), Context(network or turn.context.network, None, turn.context.city))

    def _answer(self, question_id: str, turn: Turn, asked: Asked | None = None) -> Reply:
        question = self.kb.questions.get(question_id)
        if question is None:
            raise KeyError(f"no question kind for intent {question_id!r}")
        if question.subject == "city":
            return self._city_reply(question, turn, asked)
        if question.subject == "all_networks":
            return self._all_networks_reply(question, turn)
        else:
            networks = self._networks(turn)
            if (not networks and question.intent == MEMBERSHIP_QUESTION
                    and self._city(turn) == self._served_city):
                # "Ist Bochum in einem Sicherheitsnetzwerk?": the sources tell this city's part in
                # both networks, so both are answered rather than asked back about.
                networks = [subject.id for subject in self.kb.networks()]
            if not networks:
                return self._ask_which_network(question, turn)
        if question.intent == MEMBERSHIP_QUESTION:
            return self._membership_reply(question, networks, turn, asked)
        return self._facts_reply(question, networks, turn, asked)

    # -- understanding which network is meant -----------------------------------------------

    def _networks(self, turn: Turn) -> list[str]:
        named: list[str] = []
        for value in turn.networks:
            resolved = self.kb.resolve_network(value)
            if resolved and resolved not in named:
                named.append(resolved)
        written = self.kb.find_networks(turn.text)
        if written:
            # The entity model also tags words that only look like a name ("deutsche Städte … bei
            # Efus"): where the text names networks itself, those are what it names.
            named = [network for network in named if network in written] or written
        networks = []
        for network in named:
            if network == OTHER_NETWORK:
                network = self.kb.other_network(turn.context.network) if turn.context.network else None
            if network and network not in networks:
                networks.append(network)
        if not named and turn.context.network:
            networks.append(turn.context.network)
        return networks

    def _ask_which_network(self, question: Question, turn: Turn) -> Reply:
        networks = self.kb.networks()
        options = " oder ".join(f"{subject.name} ({subject.long_name})" for subject in networks)
        text = f"Welches Netzwerk meinen Sie: {options}?"
        choices = tuple(Choice(subject.name, subject.id) for subject in networks)
        city = self._city(turn) if question.intent == MEMBERSHIP_QUESTION else None
        return Reply((Message(text, choices),), Context(None, question.intent, city))

    # -- answers ---------------------------------------------------------------------------

    def _facts_reply(self, question: Question, networks: list[str], turn: Turn,
                     asked: Asked | None = None) -> Reply:
        messages, used = [], []
        referent = None
        for network in networks:
            facts = self._named_facts(self.kb.facts_for(network, question.attributes), turn.text, question.intent)
            facts, missing = self._asked_facts(facts, asked)
            if missing:
                messages.append(Message(self._facet_unknown(missing, facts[0], network)))
                referent = referent or facts[0].id
            elif facts:
                messages.append(facts_message(facts))
                used.extend(facts)
            else:
                messages.append(Message(self._unknown(question, network)))
        remembered = networks[0] if len(networks) == 1 else turn.context.network
        return Reply(tuple(messages), Context(remembered, question.intent, referent=referent), tuple(used))

    def _all_networks_reply(self, question: Question, turn: Turn) -> Reply:
        # One answer about how the networks relate, ordered by attribute rather than network.
        facts = [fact for attribute in question.attributes
                 for network in self.kb.networks()
                 for fact in self.kb.facts_for(network.id, [attribute])]
        context = Context(turn.context.network, question.intent)
        if not facts:
            text = f"{capitalize(question.topic)} liegen mir keine gesicherten Informationen vor."
            return Reply((Message(text),), context)
        return Reply((facts_message(facts),), context, tuple(facts))

    def _unknown(self, question: Question, subject_id: str) -> str:
        subject = self.kb.subject(subject_id)
        text = (f"{capitalize(question.topic)} von {subject.name} liegen mir keine gesicherten "
                "Informationen vor.")
        if subject.website:
            text += f" Mehr erfahren Sie auf der Website von {subject.name}: {subject.website}"
        return text

    def _asked_facts(self, facts: list[Fact], asked: Asked | None) -> tuple[list[Fact], str | None]:
        """Only the facts that say what was asked ("Wann …?" → those with a time); or, when none
        does, the facet the question asks for that the sources do not hold."""
        if not facts or asked is None or not asked.facets:
            return facts, None
        # "Wer leitet das Exekutivkomitee?" already names what the leadership's "who" says: that
        # fact does not answer it.
        named = {stem(word) for word in words(asked.text)}
        answering = [fact for fact in facts if not self._restates(fact, asked.facets, named)]
        chosen = self.facets.answering(answering, asked.facets, self._content_keys(asked.text))
        if chosen:
            return chosen, None
        if len(answering) < len(facts):
            return facts, asked.facets[0]
        return facts, (asked.required[0] if asked.required else None)

    def _restates(self, fact: Fact, facets: Sequence[str], named: set[str]) -> bool:
        values = [value for facet, value in (fact.facets or {}).items()
                  if facet in facets and self.kb.fact(value) is None]
        # "Stadt Bochum" is restated by "für Bochum": the city's name is what the value says.
        return bool(values) and all(stem(word) in named for value in values for word in words(value)
                                    if word.lower() not in _GENERIC_HEADS)

    def _city_reply(self, question: Question, turn: Turn, asked: Asked | None = None) -> Reply:
        city = self._city(turn) or self._served_city
        own = self.kb.city_subject(city)
        networks = [n for n in self.kb.find_networks(turn.text) if n != OTHER_NETWORK]
        for value in turn.networks:
            resolved = self.kb.resolve_network(value)
            if resolved and resolved != OTHER_NETWORK and resolved not in networks:
                networks.append(resolved)
        remembered = networks[0] if len(networks) == 1 else turn.context.network
        if own is None and question.intent != MEMBERSHIP_QUESTION:
            # "Wie lange ging die Versammlung in Essen?": a city that is the place of what the
            # served city's facts tell (Bochum at the assembly in Essen) is not asked about itself.
            home = self.kb.city_subject(self._served_city)
            if home and any(city in fact.answer for network in networks or [None]
                            for fact in self.kb.facts_for(home.id, question.attributes, network)):
                own = home
        if own is None:
            # For a city the knowledge base has no role facts about, say what the sources say
            # about its membership instead of guessing at a role.
            targets = networks or [subject.id for subject in self.kb.networks()]
            reply = self._membership_reply(self.kb.questions[MEMBERSHIP_QUESTION], targets,
                                           replace(turn, cities=(city,)))
            return replace(reply, context=Context(remembered, question.intent))
        facts: list[Fact] = []
        for network in networks or [None]:
            facts.extend(f for f in self.kb.facts_for(own.id, question.attributes, network)
                         if f not in facts)
        if not facts:
            text = (f"{capitalize(question.topic)} {own.name} liegen mir keine gesicherten "
                    "Informationen vor.")
            return Reply((Message(text),), Context(remembered, question.intent))
        if not networks:
            # "Hat Bochum an einer Versammlung teilgenommen?" names no network: of the city's
            # facts about both, those that hold the question's nouns answer it.
            keys = self._content_keys(turn.text)
            matching = [fact for fact in facts if any(self.facets.mentions(self.facets.keys(fact), key)
                                                      for key in keys)]
            facts = matching or facts
        facts, missing = self._asked_facts(facts, asked)
        if missing:
            return Reply((Message(self._facet_unknown(missing, facts[0], own.id)),),
                         Context(remembered, question.intent, referent=facts[0].id))
        return Reply((facts_message(facts),), Context(remembered, question.intent),
                     tuple(facts))

    # -- membership ------------------------------------------------------------------------

    def _city(self, turn: Turn) -> str | None:
        for value in turn.cities:
            resolved = self.kb.resolve_city(value)
            if resolved:
                return resolved
        found = self.kb.find_cities(turn.text)
        if found:
            return found[0]
        if _OWN_CITY.search(turn.text):
            return self._served_city
        return turn.context.city if turn.intent == FOLLOW_UP_INTENT else None

    def _cities(self, turn: Turn) -> list[str]:
        """Every city the question names ("Sind Essen oder Gelsenkirchen dabei?"), else the
        one `_city` finds."""
        named = [resolved for value in turn.cities if (resolved := self.kb.resolve_city(value))]
        named += self.kb.find_cities(turn.text)
        named = list(dict.fromkeys(named))
        if len(named) > 1:
            return named
        city = self._city(turn)
        return [city] if city else []

    def _membership_reply(self, question: Question, networks: list[str], turn: Turn,
                          asked: Asked | None = None) -> Reply:
        cities = self._cities(turn)
        city = cities[0] if cities else None
        remembered = networks[0] if len(networks) == 1 else turn.context.network
        context = Context(remembered, question.intent, city)
        if city is None:
            return self._membership_without_city(networks, turn, context)
        since_asked = asked is not None and bool({"since", "when"} & set(asked.facets))
        messages, used = [], []
        for city in cities:
            for network in networks:
                membership = self.kb.membership(city, network)
                messages.append(Message(self._membership_text(membership, since_asked),
                                        sources=cited_sources(membership.facts)))
                used.extend(membership.facts)
        city = cities[0]
        # "Ja, Bochum ist seit 2023 Mitglied" → "Warum?": the city's own fact is the referent,
        # not the list it was found in.
        own = self.kb.city_subject(city)
        role = [fact for network in networks[:1] if own
                for fact in self.kb.facts_for(own.id, ("city_membership", "participation"), network)]
        if role:
            context = replace(context, referent=role[0].id)
        return Reply(tuple(messages), context, tuple(used))

    def _membership_without_city(self, networks: list[str], turn: Turn, context: Context) -> Reply:
        country = places.country_in(turn.text)
        if country:
            return self._country_reply(country, networks, turn, context)
        # Only a plain name is repeated back: never markup or other text the citizen typed.
        unknown_name = next(
            (value.strip() for value in turn.cities if _SAFE_NAME.fullmatch(value.strip())), None)
        messages, used = [], []
        if unknown_name:
            messages.append(Message(
                f"Die Stadt „{unknown_name}“ kenne ich leider nicht. Bitte prüfen Sie die "
                "Schreibweise."))
        for network in networks:
            facts = self.kb.facts_for(network, ["member_cities"]) or self.kb.facts_for(
                network, ["member_count"])
            if facts:
                messages.append(facts_message(facts))
                used.extend(facts)
            else:
                messages.append(Message(self._unknown(self.kb.questions["ask_members"], network)))
        if not unknown_name:
            messages.append(Message("Nach welcher Stadt möchten Sie fragen? Schreiben Sie zum "
                                    "Beispiel: „Ist Dortmund Mitglied?“"))
        return Reply(tuple(messages), context, tuple(used))

    def _country_reply(self, country: str, networks: list[str], turn: Turn, context: Context) -> Reply:
        """ "Ist Österreich bei Efus vertreten?": the facts that name the country, else that the
        sources do not say which countries the members come from."""
        messages, used = [], []
        for network in networks:
            facts = [fact for fact in self.kb.facts if fact.subject == network and places.names(fact.answer, country)]
            if facts:
                messages.append(facts_message(facts))
                used.extend(facts)
            else:
                messages.extend(self._unknown_aspect(Aspect(MEMBERSHIP_QUESTION, unknown_word=country),
                                                     replace(turn, networks=(network,))).messages)
        return Reply(tuple(messages), context, tuple(used))

    def _membership_text(self, membership: Membership, since_asked: bool = False) -> str:
        city, network = membership.city, membership.network
        footer = source_footer(membership.facts)
        website = (f" Genaueres erfahren Sie auf der Website von {network.name}: {network.website}"
                   if network.website else "")
        if membership.status is MembershipStatus.MEMBER:
            if since_asked and not membership.since:
                # "Seit wann ist Essen bei Efus?": the list names the member, not the year.
                return (f"{city} wird in meinen Quellen als Mitglied von {network.name} genannt. Seit wann "
                        f"{city} Mitglied ist, kann ich nicht sagen: Ein Beitrittsjahr nennen meine "
                        f"Quellen nicht.{website}\n\n{footer}")
            since = f" seit {membership.since}" if membership.since else ""
            return f"Ja, {city} ist{since} Mitglied von {network.name}.\n\n{footer}"
        if membership.status is MembershipStatus.PARTICIPATED:
            said = " ".join(fact.answer for fact in membership.facts)
            return (f"Meine Quellen nennen {city} nicht als Mitglied von {network.name}, daher kann ich nicht "
                    f"sagen, ob {city} Mitglied ist. Sie sagen nur: {said}{website}\n\n{footer}")
        if membership.status is MembershipStatus.NOT_LISTED:
            return (f"{city} ist nicht unter den Städten, die meine Quellen als Mitglied von "
                    f"{network.name} nennen. Diese Liste ist aber nicht vollständig, daher kann ich "
                    f"nicht sagen, ob {city} Mitglied ist.{website}\n\n{footer}")
        counts = " ".join(fact.answer for fact in membership.facts)
        text = (f"Meine Quellen nennen keine einzelnen Mitgliedsstädte von {network.name}, "
                f"daher kann ich nicht sagen, ob {city} Mitglied ist. {counts}{website}")
        return f"{text}\n\n{footer}" if membership.facts else text
