"""Questions that carry a claim: "DEFUS gibt es doch erst seit 2015, oder?", "Stimmt es, dass …".

The answer confirms or corrects the claim against the facts that answer the question, never
against anything else: numbers must be in the facts (a different number is a clear "Nein"), the
claim's other content words must be there too; a claim the facts neither contain nor contradict
("in Spanien" where they say "Barcelona") is not confirmed.
"""

from __future__ import annotations

import enum
import re
from typing import Sequence

from assistant.knowledge import Fact
from assistant.knowledge.names import stem, words

_CLAIM = re.compile(
    r"\boder\s*\?*\s*$|\boder nicht\b|\bnicht wahr\b|\bstimmt(?:'?s| es| das)?\b|\bist (?:es|das) "
    r"(?:richtig|korrekt|wahr)\b|\b(?:richtig|korrekt|wahr)\s*\?+\s*$|\bgell\b|\bne\s*\?+\s*$|"
    r"\b(?:ich )?(?:habe|hab) (?:\w+ )?(?:gelesen|gehört)\b|\bdoch\b|\bsoweit ich weiß\b|"
    r"\bwenn ich mich nicht irre\b|\bmeines wissens\b|\bangeblich\b|\bich (?:glaube|dachte)\b|"
    # "Bochum war ja 2021 zum ersten Mal dabei": "ja" after the verb is a particle of a claim.
    r"\b(?:ist|war|sind|waren|hat|hatte|haben|hatten|wurde|wurden|gibt|gab)\s+(?:\w+\s+)?ja\b(?!\s+oder\b)(?!\s*[,?!.]?\s*$)|"
    r"\bisn'?t it\b|\bis it true\b|\bright\s*\?+\s*$",
    re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
# Numbers as words: a fact with one counts something ("in sechs Ländern").
_COUNT_WORDS = frozenset({"zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf",
                          "zwölf", "zwanzig", "dreißig", "hundert", "dutzend", "dutzende"})
# Words between "welche" and the noun it asks about ("Welche zwei Organisationen …").
_NUMBER_WORDS = _COUNT_WORDS | {"beiden", "genau", "denn", "eigentlich"}
_WHICH = re.compile(r"^\s*(?:und\s+)?(?:(?:aus|in|von|bei|mit|an|zu|für|unter)\s+)?(?:welche[mnrs]?|which)\b",
                    re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# A question that starts with a verb asks whether something is so: "Sitzt Efus in Brüssel?"
_YES_NO = re.compile(r"^\s*(?:ist|sind|war|waren|hat|haben|hatte|wurde|wurden|gibt|gab|gehört|gehören|sitzt|"
                     r"liegt|zählt|kam|entstand|macht|machen|nimmt|nehmen|beteiligt|arbeitet|arbeiten|kooperiert|"
                     r"kooperieren|bekommt|bekommen|erhält|erhalten|bietet|bieten|unterstützt|unterstützen|"
                     r"fördert|fördern|hilft|helfen|zahlt|zahlen|kostet|veranstaltet|organisiert|befasst|"
                     r"beschäftigt|kümmert|engagiert|vertritt|existiert|besteht|gehörte|hatten|gibts|gibt's)(?!\w)|"
                     # "Auch um Drogen?" after the topics: whether the last answer holds for it too.
                     r"^\s*(?:und|aber)?\s*auch\b(?!\s+(?:wann|wo|wer|wie|was|warum|welche\w*)\b)",
                     re.IGNORECASE)


# "Nationale Foren gibt es nur in Deutschland", "DEFUS hat mit Efus nichts zu tun": a claim that
# restricts or negates cannot be confirmed by finding its words in the facts.
_RESTRICTED = re.compile(r"\b(?:nur|nicht|kein\w*|nichts|nie|niemals|ohne|weder|ausschließlich|"
                         r"only|not|never|no)\b", re.IGNORECASE)


# "…, nicht wahr?", "…, oder nicht?": the tag asks for confirmation, it restricts nothing.
_TAG = re.compile(r"\b(?:nicht wahr|oder nicht|isn'?t it|is(?:n'?t| not) that so)\b", re.IGNORECASE)
_PREDICATE = re.compile(r"\b(?:ist|sind|war|waren)\s+(?:doch\s+|auch\s+|eigentlich\s+)?(?:ein|eine|einer|eines)\s+"
                        r"(?:[a-zäöüß]+\s+)?([A-ZÄÖÜ][\wäöüß-]+)")
_EITHER_OR = re.compile(r"\b(?:oder|or)\b(?!\s*(?:nicht\b|not\b)?\s*\?*\s*$)", re.IGNORECASE)


_ENGLISH_PRONOUNS = frozenset({"I"})


class Verdict(enum.Enum):
    CONFIRMED = "Ja, das stimmt."
    CONTRADICTED = "Nein, das stimmt so nicht."
    UNCONFIRMED = "Das kann ich so nicht bestätigen."


def is_claim(text: str) -> bool:
    return bool(_CLAIM.search(text))


def is_yes_no(text: str) -> bool:
    return bool(_YES_NO.search(text))


def predicate_nouns(text: str) -> list[str]:
    """What a claim says something is: "DEFUS ist eine GmbH, oder?" → "GmbH"."""
    return [match.group(1) for match in _PREDICATE.finditer(text)]


def is_either_or(text: str) -> bool:
    """ "Ist DEFUS ein Amt oder ein Verein?" asks which, not whether."""
    return bool(_EITHER_OR.search(text))


def counted_only(text: str, facts: Sequence[Fact]) -> list[str]:
    """The nouns a "Welche …?" question asks to be named that the facts only count: "Welche
    Organisationen sind Mitglied?" is not answered by "18 Städte und 2 Organisationen"."""
    if not _WHICH.match(text):
        return []
    answer_words = [word for fact in facts for word in words(fact.answer)]
    counted = []
    # The noun the question word asks about: the first after it ("Welche zwei Organisationen …"),
    # also where the citizen types in lower case ("welche städte sind das").
    tokens = words(text)
    start = next((index for index, word in enumerate(tokens) if word.lower().startswith(("welch", "which"))), 0)
    tokens = tokens[start + 1:]
    for noun in [word for word in tokens if not _NUMBER.fullmatch(word) and word.lower() not in _NUMBER_WORDS][:1]:
        key = stem(noun)
        places = [index for index, word in enumerate(answer_words) if stem(word) == key]
        if places and all(any(_NUMBER.fullmatch(word) for word in answer_words[max(0, index - 2):index])
                          for index in places):
            counted.append(noun)
    return counted


_HOW_MANY_OF_A_KIND = re.compile(r"\b[Ww]ie\s+viele\s+([a-zäöüß]{4,}e[nrs]?)\s+([A-ZÄÖÜ][\wäöüß-]+)")


def uncounted_kind(text: str, facts: Sequence[Fact]) -> str | None:
    """ "Wie viele deutsche Städte sind Mitglied bei Efus?": a count of the members of a kind
    ("deutsche") that no counting fact is about, as the citizen wrote it; not answered by the
    count of all ("250 Mitglieder … aus 17 europäischen Ländern"). "Wie viele europäische Länder
    …?" is counted by that fact, and DEFUS's "18 Städte … in Deutschland" counts German cities."""
    match = _HOW_MANY_OF_A_KIND.search(text)
    if not match or match.group(1) in _NUMBER_WORDS:
        return None
    adjective = stem(match.group(1))[:5]
    counting = [fact for fact in facts if _counts(fact.answer)]
    if any(word.lower().startswith(adjective) for fact in counting for word in words(fact.answer)):
        return None
    return f"{match.group(1)} {match.group(2)}"


def _counts(answer: str) -> bool:
    """Whether a fact counts something: a number that is not a year ("seit 2023"), or a number word."""
    return any((_NUMBER.fullmatch(word) and not _YEAR.fullmatch(word)) or word.lower() in _COUNT_WORDS
               for word in words(answer))


def unmatched_years(text: str, facts: Sequence[Fact]) -> list[str]:
    """Years the question names that the answering facts do not: "Wie viele Mitglieder hatte Efus
    1990?" is not answered by today's count, and "Ist Bochum seit 2020 dabei?" is not so."""
    known = set(_YEAR.findall(" ".join(fact.answer for fact in facts)))
    return [year for year in _YEAR.findall(text) if year not in known]


def judge(claim_words: Sequence[str], text: str, facts: Sequence[Fact]) -> Verdict:
    """Compare the claim's numbers and content words (already without names and stop words)."""
    answers = " ".join(fact.answer for fact in facts)
    numbers = set(_NUMBER.findall(text))
    if numbers and not numbers <= set(_NUMBER.findall(answers)):
        return Verdict.CONTRADICTED
    # A claim whose words are all general or the kind's own ("Bei DEFUS kann doch jeder
    # Bürger Mitglied werden, oder?": all general words) is checked by its nouns.
    nouns = [part for word in words(text)[1:] if word[:1].isupper() for part in word.split("-") if part]
    if not claim_words and not numbers and unconfirmed(nouns, facts):
        return Verdict.UNCONFIRMED
    if not unconfirmed(claim_words, facts) and not _RESTRICTED.search(_TAG.sub(" ", text)):
        return Verdict.CONFIRMED
    return Verdict.UNCONFIRMED


def unconfirmed(claim_words: Sequence[str], facts: Sequence[Fact]) -> list[str]:
    """The claim's words the facts do not contain ("Brüssel" when they say "Paris")."""
    known = {stem(word) for fact in facts for word in words(fact.answer)}
    return [word for word in claim_words if not _contained(stem(word), known)]


def english_claim_words(text: str) -> list[str]:
    """What an English claim asserts, as far as German facts can check it: its names and
    numbers ("… founded in Madrid?" → "Madrid"), not its English words."""
    tokens = words(text)
    return [token for token in tokens[1:] if token[:1].isupper() and token not in _ENGLISH_PRONOUNS]


def _contained(key: str, known: set[str]) -> bool:
    return key in known or any(len(word) >= 5 and (word.startswith(key) or key.startswith(word)) for word in known)
