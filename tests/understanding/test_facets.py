from __future__ import annotations

import shutil

import pytest

from assistant.knowledge import KnowledgeBaseError, load_knowledge_base
from assistant.settings import get_settings
from assistant.understanding.facets import FacetReader


@pytest.fixture(scope="module")
def reader(kb) -> FacetReader:
    return FacetReader(kb)


@pytest.mark.parametrize("question, facets", [
    ("Wann wurde Efus gegründet?", ("when",)),
    ("Und in welcher Stadt?", ("where",)),
    ("Wie viele Tage dauerte sie?", ("how_long",)),  # the longest phrase wins over "wie viele"
    ("wieviele mitglieder hat efus", ("how_many",)),
    ("Wer hat Efus wann gegründet?", ("who", "when")),
    ("Wie oft im Jahr trifft sich DEFUS?", ("how_often",)),
    ("Welche Städte sind Mitglied?", ()),  # "welche Städte" is not a place
    ("Welche Veranstaltungen organisiert DEFUS?", ()),
    ("Seit wann gibt es DEFUS?", ("since",)),  # not "wann" alone
    # "Why that place" narrows "why": the founding's reasons are no answer to it.
    ("Warum wurde Efus ausgerechnet in Barcelona gegründet?", ("circumstances",)),
    ("warum gerade da?", ("circumstances",)),
    ("Was wurde da besprochen?", ("content",)),
])
def test_which_facets_a_question_asks(reader, question, facets):
    assert reader.asked(question).facets == facets


def test_a_facet_is_answered_by_the_fact_it_names(reader, kb):
    founding = kb.fact("efus-founding")
    assert reader.answering([founding], ["who"]) == [kb.fact("efus-founder")]
    assert reader.answering([founding], ["where"]) == [founding]
    assert reader.answering([founding], ["how_many"]) == []
    # "Wie lange gibt es …?" and "Seit wann …?" are answered by the time.
    assert reader.answering([founding], ["how_long"]) == [founding]
    assert reader.answering([founding], ["since"]) == [founding]
    assert reader.answering([founding], ["circumstances"]) == []


def test_a_facet_value_the_answer_does_not_state_is_refused(tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(get_settings().knowledge_dir, knowledge)
    efus = knowledge / "efus.yml"
    efus.write_text(efus.read_text(encoding="utf-8").replace("      where: Barcelona", "      where: Madrid"),
                    encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(knowledge)
    assert "„Madrid“" in str(error.value) and "nicht im Antworttext" in str(error.value)
