from __future__ import annotations

import pytest

from assistant.knowledge import KnowledgeBase
from assistant.understanding.aspects import AspectMatcher
from assistant.understanding.premise import Verdict, is_claim, judge, unmatched_years


@pytest.mark.parametrize("text, claim", [
    ("DEFUS gibt es doch erst seit 2015, oder?", True),
    ("Stimmt es, dass Efus in Paris sitzt?", True),
    ("Ist es richtig, dass Bochum seit 2023 dabei ist?", True),
    ("Efus hat 250 Mitglieder, nicht wahr?", True),
    ("Wann wurde DEFUS gegründet?", False),
    ("Wie viele Mitglieder hat Efus?", False),
])
def test_claims_are_recognised_by_their_form(text, claim):
    assert is_claim(text) is claim


@pytest.mark.parametrize("text, kind, fact, verdict", [
    ("DEFUS gibt es doch erst seit 2015, oder?", "ask_founding", "defus-founding", Verdict.CONTRADICTED),
    ("Efus wurde doch 1987 gegründet, oder?", "ask_founding", "efus-founding", Verdict.CONFIRMED),
    ("Stimmt es, dass Efus in Paris sitzt?", "ask_seat", "efus-seat", Verdict.CONFIRMED),
    ("Efus wurde doch in Spanien gegründet, oder?", "ask_founding", "efus-founding", Verdict.UNCONFIRMED),
    ("DEFUS ist doch ein Verein nach französischem Recht, oder?", "ask_legal_form", "defus-legal-form",
     Verdict.UNCONFIRMED),
    # Every word general or the kind's own: the nouns decide.
    ("Bei DEFUS kann doch jeder Bürger einfach Mitglied werden, oder?", "ask_join", "defus-join-conditions",
     Verdict.UNCONFIRMED),
    ("DEFUS ist ein eingetragener Verein, oder?", "ask_legal_form", "defus-legal-form", Verdict.CONFIRMED),
])
def test_claims_are_judged_against_the_answering_facts_only(kb: KnowledgeBase, text, kind, fact, verdict):
    words = AspectMatcher(kb).claim_words(text, kind)
    assert judge(words, text, [kb.fact(fact)]) is verdict


def test_years_the_facts_do_not_name_are_found(kb: KnowledgeBase):
    founding = [kb.fact("efus-founding")]
    assert unmatched_years("Wie viele Mitglieder hatte Efus 1990?", founding) == ["1990"]
    assert unmatched_years("Wurde Efus 1987 gegründet?", founding) == []
