"""Comparing how questions are worded: case, umlaut spelling and punctuation do not matter."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def normalize(text: str) -> str:
    """"Wann wurde DEFUS gegründet?" and "wann wurde defus gegruendet" give the same key."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def example_key(text: str) -> str:
    """Key for "the same training example": case and punctuation do not matter, spelling does.

    "gemeinnützig" and "gemeinnuetzig" stay apart: both spellings are deliberate examples.
    """
    return " ".join(_PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).casefold()).split())
