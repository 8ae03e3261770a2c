"""The language a question is asked in: German, English or another one.

The assistant answers in German. An English question about the networks is still answered (the
intent model reads it through the multilingual sentence encoder), with one English sentence in
front; any other language gets a short note in German and English. The decision counts the
function words of each language (spaCy's stop-word lists), which short questions are full of and
which names ("Efus", "Bochum") never are; when in doubt, German.
"""

from __future__ import annotations

import enum
import re
from functools import cache
from importlib import import_module

# Languages whose stop words are counted; German is the default, so it needs no lead.
_OTHERS = ("en", "fr", "es", "it", "pt", "nl", "tr", "pl")
_MIN_HITS = 2
# Letters only: "l'Efus", "a-t-il" and "What's" are several words here ("l", "a", "t", "il", "s").
_LETTERS = re.compile(r"[^\W\d_]+")


class Language(enum.Enum):
    GERMAN = "de"
    ENGLISH = "en"
    OTHER = "other"


ENGLISH_NOTE = "I answer in German only, so here is my answer in German:"
OTHER_LANGUAGE_NOTE = (
    "Ich beantworte Fragen nur auf Deutsch (einfache Fragen verstehe ich auch auf Englisch). "
    "Bitte stellen Sie Ihre Frage auf Deutsch.\n\n"
    "I can only answer in German (I also understand simple questions in English). Please ask "
    "your question in German or English."
)


@cache
def _stop_words(code: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)


def detect(text: str) -> Language:
    tokens = [token.casefold() for token in _LETTERS.findall(text)]
    if not tokens or any(char in text.casefold() for char in "äöüß"):
        return Language.GERMAN
    german = sum(token in _stop_words("de") for token in tokens)
    hits = {code: sum(token in _stop_words(code) for token in tokens) for code in _OTHERS}
    code, best = max(hits.items(), key=lambda item: item[1])
    if best < _MIN_HITS or best <= german:
        return Language.GERMAN
    if code == "en" or hits["en"] >= best:
        return Language.ENGLISH
    return Language.OTHER
