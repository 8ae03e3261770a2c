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
    r"(?:richtig|korrekt|wahr)\b|\brichtig\s*\?+\s*$|\bgell\b|\bne\s*\?+\s*$|\b(?:ich )?(?:habe|hab) "
    r"(?:gelesen|gehört)\b|\bdoch\b|\bisn'?t it\b|\bis it true\b|\bright\s*\?+\s*$",
    re.IGNORECASE)
_NUMBER = re.compile(r"\d+")


class Verdict(enum.Enum):
    CONFIRMED = "Ja, das stimmt."
    CONTRADICTED = "Nein, das stimmt so nicht."
    UNCONFIRMED = "Das kann ich so nicht bestätigen."


def is_claim(text: str) -> bool:
    return bool(_CLAIM.search(text))


def judge(claim_words: Sequence[str], text: str, facts: Sequence[Fact]) -> Verdict:
    """Compare the claim's numbers and content words (already without names and stop words)."""
    answers = " ".join(fact.answer for fact in facts)
    numbers = set(_NUMBER.findall(text))
    if numbers and not numbers <= set(_NUMBER.findall(answers)):
        return Verdict.CONTRADICTED
    known = {stem(word) for word in words(answers)}
    if all(_contained(stem(word), known) for word in claim_words):
        return Verdict.CONFIRMED
    return Verdict.UNCONFIRMED


def _contained(key: str, known: set[str]) -> bool:
    return key in known or any(len(word) >= 5 and (word.startswith(key) or key.startswith(word)) for word in known)
