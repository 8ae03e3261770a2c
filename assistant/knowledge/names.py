"""Matching names the way German speakers write them.

Citizens write "Köln", "Koeln" or "Koln", "des Efus", "Kölns", "Europäischen Forums",
"Strasse" for "Straße". Every name is reduced to comparison keys that ignore case, umlaut
spelling, ß/ss and common case endings, and text is scanned for the longest known name.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
# Longest first, so "Forums" loses "s" but "Europäischen" loses "en", not just "n".
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "s", "n")
_MIN_STEM = 4


def _base(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    # Accents other than umlauts (é, à) are dropped: "sécurité" matches "securite".
    decomposed = unicodedata.normalize("NFD", text.translate({ord("ß"): "ss"}))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and char != "\u0308":
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def spellings(word: str) -> set[str]:
    """Comparison keys of one word: umlauts written as ae/oe/ue and as plain vowels."""
    base = _base(word)
    return {base.translate(_TRANSLITERATE), base.translate(_STRIP)}


def words(text: str) -> list[str]:
    """The words of a text, without punctuation, apostrophes and hyphens kept inside words."""
    return [match.group(0) for match in _WORD.finditer(text)]


def stem(word: str) -> str:
    """Strip one German case or plural ending ("Forums" → "forum", "Europäischen" → "europaeisch")."""
    word = _base(word).translate(_TRANSLITERATE).rstrip("'")
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def phrase_keys(phrase: str) -> set[tuple[str, ...]]:
    """Keys for a multi-word name, in both umlaut spellings and in stemmed form."""
    tokens = words(phrase)
    if not tokens:
        return set()
    keys = set()
    for variant in (_TRANSLITERATE, _STRIP):
        keys.add(tuple(_base(token).translate(variant) for token in tokens))
    keys.add(tuple(stem(token) for token in tokens))
    return keys


class NameIndex:
    """Finds known names (with a canonical value each) in free text, longest match first."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()) -> None:
        self._keys: dict[tuple[str, ...], str] = {}
        self._longest = 1
        for name, value in names:
            self.add(name, value)

    def add(self, name: str, value: str) -> None:
        for key in phrase_keys(name):
            # The first registration wins, so canonical names beat later aliases.
            self._keys.setdefault(key, value)
            self._longest = max(self._longest, len(key))

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def lookup(self, name: str) -> str | None:
        """The value for a whole name, also in genitive ("Kölns", "Efus'")."""
        for key in self._candidate_keys(words(name)):
            if key in self._keys:
                return self._keys[key]
        return None

    def find_all(self, text: str) -> list[str]:
        """Values of all names in the text, in order of appearance, without repeats."""
        found: list[str] = []
        for value in self._scan(words(text)):
            if value not in found:
                found.append(value)
        return found

    def _scan(self, tokens: list[str]) -> Iterator[str]:
        position = 0
        while position < len(tokens):
            for size in range(min(self._longest, len(tokens) - position), 0, -1):
                value = self._match(tokens[position : position + size])
                if value is not None:
                    yield value
                    position += size
                    break
            else:
                # German compounds put the name first: "Efus-Netzwerk", "DEFUS-Mitglieder".
                head, hyphen, _ = tokens[position].partition("-")
                value = self._match([head]) if hyphen else None
                if value is not None:
                    yield value
                position += 1

    def _match(self, tokens: list[str]) -> str | None:
        for key in self._candidate_keys(tokens):
            if key in self._keys:
                return self._keys[key]
        return None

    @staticmethod
    def _candidate_keys(tokens: list[str]) -> Iterator[tuple[str, ...]]:
        if not tokens:
            return
        head, last = tokens[:-1], tokens[-1]
        # Exact spellings first, then the genitive -s, then stemmed forms.
        for variant in (_TRANSLITERATE, _STRIP):
            plain = tuple(_base(token).translate(variant) for token in tokens)
            yield plain
            if plain[-1].endswith("s") and len(plain[-1]) > 3:
                yield (*plain[:-1], plain[-1][:-1])
        yield (*(stem(token) for token in head), stem(last))
