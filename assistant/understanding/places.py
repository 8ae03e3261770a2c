"""Countries a question names, from CLDR's German country names (Babel ships them).

"Ist Österreich bei Efus vertreten?" asks whether a country is among the members; the sources
give the number of countries, not which they are, so the honest answer names the country as
what they do not say — rather than the list of German member cities that a membership question
without a city gets.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=1)
def _countries() -> tuple[tuple[re.Pattern[str], str], ...]:
    from babel import Locale

    # Two-letter codes are countries and territories; numeric ones are regions ("Europa").
    names = {name for code, name in Locale("de").territories.items() if code.isalpha() and len(code) == 2}
    # The longest first: "Vereinigtes Königreich" before any shorter name inside it.
    return tuple((re.compile(rf"(?<!\w){re.escape(name.casefold())}(?!\w)"), name)
                 for name in sorted(names, key=len, reverse=True))


# "Sind auch polnische Städte bei Efus?" names Poland by its adjective. Only before a word for
# members: "auf Französisch" is a language. Not "deutsche": the sources list German members.
_ADJECTIVES = {
    "polnisch": "Polen", "französisch": "Frankreich", "italienisch": "Italien", "spanisch": "Spanien",
    "belgisch": "Belgien", "niederländisch": "Niederlande", "holländisch": "Niederlande",
    "österreichisch": "Österreich", "schweizer": "Schweiz", "schweizerisch": "Schweiz",
    "portugiesisch": "Portugal", "britisch": "Vereinigtes Königreich", "schwedisch": "Schweden",
    "dänisch": "Dänemark", "norwegisch": "Norwegen", "finnisch": "Finnland", "griechisch": "Griechenland",
    "tschechisch": "Tschechien", "ungarisch": "Ungarn", "rumänisch": "Rumänien", "bulgarisch": "Bulgarien",
    "kroatisch": "Kroatien", "slowenisch": "Slowenien", "slowakisch": "Slowakei", "irisch": "Irland",
    "luxemburgisch": "Luxemburg", "türkisch": "Türkei", "ukrainisch": "Ukraine", "litauisch": "Litauen",
    "lettisch": "Lettland", "estnisch": "Estland", "serbisch": "Serbien", "albanisch": "Albanien",
    "maltesisch": "Malta", "zypriotisch": "Zypern",
}
_ADJECTIVE = re.compile(
    r"(?<!\w)(" + "|".join(_ADJECTIVES) + r")(?:e|en|er|es)?\s+(?:st(?:ä|ae)dte\w*|stadt|kommune\w*|gemeinde\w*|"
    r"mitglied\w*|region\w*|partner\w*|foren|forum)(?!\w)")


def names(text: str, country: str) -> bool:
    """Whether the text names this country as a word of its own ("Oman", not "Kommunen")."""
    return any(name == country and pattern.search(text.casefold()) for pattern, name in _countries())


def country_in(text: str) -> str | None:
    """The first country the text names (in its German name, any case), or None."""
    folded = text.casefold()
    found = [(match.start(), name) for pattern, name in _countries() if (match := pattern.search(folded))]
    found += [(match.start(), _ADJECTIVES[match.group(1)]) for match in _ADJECTIVE.finditer(folded)]
    return min(found)[1] if found else None
