from __future__ import annotations

import pytest

from assistant.understanding.language import Language, detect


@pytest.mark.parametrize("text", [
    "Wann wurde Efus gegründet?", "efus gruendung", "Was ist DEFUS?", "Wer leitet Efus?",
    "Efus", "Ist Bochum dabei?", "seit wann gibt es das", "und wo sitzt es",
    "gibts dazu ne quelle?",  # French "ne", "quelle": not enough to withhold the German reply
])
def test_german_questions_and_keywords_are_german(text):
    assert detect(text) is Language.GERMAN


@pytest.mark.parametrize("text", [
    "What is the seat of Efus?", "When was DEFUS founded?", "Is Bochum a member of Efus?",
    "How many members does the network have?",
])
def test_english_questions_are_english(text):
    assert detect(text) is Language.ENGLISH


@pytest.mark.parametrize("text", [
    "Où se trouve le siège de l'Efus ?", "¿Cuándo se fundó el Efus?", "Quando è stato fondato l'Efus?",
])
def test_other_languages_are_recognised(text):
    assert detect(text) is Language.OTHER
