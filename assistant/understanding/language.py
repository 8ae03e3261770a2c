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
from importlib.util import find_spec, module_from_spec, spec_from_file_location
from pathlib import Path

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
    # Only the stop-word module: importing spacy.lang.fr (its tokenizer exceptions, lemmatizer)
    # took 14-25 s on a busy machine, and the first question of a new action server waited for it.
    spacy_dir = Path(find_spec("spacy").origin).parent  # type: ignore[arg-type, union-attr]
    spec = spec_from_file_location(f"_stop_words_{code}", spacy_dir / "lang" / code / "stop_words.py")
    module = module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return frozenset(word.casefold() for word in module.STOP_WORDS)


def load() -> None:
    """Read every language's stop words now, so no citizen's first question waits for them."""
    for code in ("de", *_OTHERS):
        _stop_words(code)


_OTHER_LEAD = 2


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
    # Colloquial German shares short words with other languages ("gibts dazu ne quelle": French
    # "ne", "quelle"): another language must lead clearly before the German reply is withheld.
    if best < german + _OTHER_LEAD:
        return Language.GERMAN
    return Language.OTHER
