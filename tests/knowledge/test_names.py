from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase


@pytest.mark.parametrize("text, expected", [
    ("Wann wurde DEFUS gegründet?", ["defus"]),
    ("Gründung des Efus", ["efus"]),
    ("Ziele des Europäischen Forums für urbane Sicherheit", ["efus"]),
    ("beim Deutsch-Europäischen Forum", ["defus"]),
    ("deutsch europäisches forum für urbane sicherheit", ["defus"]),
    ("Was unterscheidet Efus und DEFUS?", ["efus", "defus"]),
    ("und das andere Forum?", ["other"]),
    ("Wie viele Mitglieder hat es?", []),
    ("Wie groß ist das Efus-Netzwerk?", ["efus"]),
    ("Welche DEFUS-Mitgliedsstädte gibt es?", ["defus"]),
    ("Sicherheits-Netzwerke in Europa", []),
])
def test_networks_are_found_in_german_text(kb: KnowledgeBase, text: str, expected: list[str]) -> None:
    assert kb.find_networks(text) == expected


@pytest.mark.parametrize("written, canonical", [
    ("Köln", "Köln"), ("Koeln", "Köln"), ("Koln", "Köln"), ("Kölns", "Köln"),
    ("muenchen", "München"), ("MÜNCHEN", "München"), ("Dortmund", "Dortmund"),
    ("Frankfurt am Main", "Frankfurt am Main"), ("Gelsenkirchens", "Gelsenkirchen"),
    ("Duesseldorf", "Düsseldorf"), ("Mülheim an der Ruhr", "Mülheim"), ("Halle (Saale)", "Halle (Saale)"),
])
def test_city_names_are_matched_in_any_spelling(kb: KnowledgeBase, written: str, canonical: str) -> None:
    assert kb.resolve_city(written) == canonical


def test_a_city_name_is_found_at_the_head_of_a_compound(kb: KnowledgeBase) -> None:
    assert kb.find_cities("Ist Castrop-Rauxel dabei?") == ["Castrop-Rauxel"]
    assert kb.find_cities("Macht die Köln-Initiative mit?") == ["Köln"]


def test_unknown_words_are_not_cities(kb: KnowledgeBase) -> None:
    assert kb.resolve_city("Blumenkohl") is None
    assert kb.find_cities("Wann wurde das Forum gegründet?") == []
