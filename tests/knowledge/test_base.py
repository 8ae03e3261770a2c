"""Queries over the curated facts, against the real knowledge base."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, network", [
    ("Welche Ziele verfolgt das Netzwerk mit Sitz in Paris?", "efus"),
    ("Wann hat das Forum, das 1987 gegründet wurde, angefangen?", "efus"),
    ("was macht das netzwerk mit zentrale in paris", "efus"),
    # The place is what is asked, not a description of the network.
    ("Sitzt der Verein in Berlin?", None),
    # Part of both networks' names: it describes neither.
    ("Wann wurde das belgische Forum für urbane Sicherheit gegründet?", None),
])
def test_a_network_described_by_what_its_facts_say_is_recognised(kb, text, network):
    described = kb.described_network(text)
    assert (described[0] if described else None) == network
    assert kb.find_networks(text) == ([network] if network else [])
