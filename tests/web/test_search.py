"""The agent console's search: the fact an agent needs comes first for what agents type."""

from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase
from assistant.web.search import FactIndex


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase) -> FactIndex:
    return FactIndex(kb)


def first(index: FactIndex, query: str) -> str:
    hits = index.search(query)
    assert hits, f"no hit for {query!r}"
    return hits[0].fact.id


@pytest.mark.parametrize("query, expected", [
    ("defus gründung", "defus-founding"),
    ("efus länder", "efus-member-count"),
    ("mitglieder bochum", "bochum-efus-membership"),
    ("efus sitz", "efus-seat"),
    ("Wann wurde Efus gegründet?", "efus-founding"),
    ("wer leitet efus", "efus-leadership"),
    ("defus finanzierung", "defus-funding"),
    ("efus website", "efus-website"),
])
def test_typical_agent_queries_put_the_right_fact_first(index, query, expected):
    assert first(index, query) == expected


def test_efus_sitz_answers_paris(index):
    assert "Paris" in index.search("efus sitz")[0].fact.answer


@pytest.mark.parametrize("query", [
    "DEFUS Gruendung",   # ü written as ue
    "defus grundung",    # ü written as u
    "DEFUS Gründng",     # typo
    "defus grün",        # still typing
])
def test_umlaut_spellings_typos_and_prefixes_find_the_founding(index, query):
    assert first(index, query) == "defus-founding"


def test_plural_umlauts_and_case_endings_are_folded(index):
    # "Ländern" in the answer, "Land"/"Länder"/"Laender" typed.
    for query in ("Efus Land", "Efus Laender", "Efus Ländern"):
        assert first(index, query) == "efus-member-count", query


def test_sharp_s_is_folded(index):
    assert first(index, "Strassenkriminalitaet") == "defus-past-topics"


def test_the_primary_source_wins_a_tie(index):
    hits = index.search("defus gründung")
    assert hits[0].score == hits[1].score
    assert hits[0].fact.is_primary and not hits[1].fact.is_primary


def test_nonsense_finds_nothing(index):
    assert index.search("xylophonbaukasten") == []
    assert index.search("   ") == []
