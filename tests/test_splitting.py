"""Several questions in one message are told apart; one question is never cut up."""

from __future__ import annotations

import pytest

from assistant.splitting import MAX_QUESTIONS, split_questions


@pytest.mark.parametrize("text, questions", [
    ("Wann wurde Efus gegründet und wo sitzt es?", ["Wann wurde Efus gegründet?", "wo sitzt es?"]),
    ("Was ist Efus und was ist DEFUS?", ["Was ist Efus?", "was ist DEFUS?"]),
    ("Ich bin Journalistin. Wann wurde Efus gegründet? Und wo sitzt es? Danke!",
     ["Ich bin Journalistin. Wann wurde Efus gegründet?", "Und wo sitzt es? Danke!"]),
    ("Können Sie mir sagen, wann DEFUS gegründet wurde und wer dort Mitglied ist?",
     ["Können Sie mir sagen, wann DEFUS gegründet wurde?", "wer dort Mitglied ist?"]),
])
def test_each_question_is_asked_on_its_own_in_order(text: str, questions: list[str]):
    assert split_questions(text) == (questions, False)


@pytest.mark.parametrize("text", [
    "Wann und wo wurde Efus gegründet?",  # one question about two facets
    "Ist Bochum Mitglied bei Efus und seit wann?",
    "Ich weiß, wer Efus gegründet hat und wo es sitzt.",  # no question at all
    "Was? Wirklich?",
    "Hallo! Was ist Efus?",
    "DEFUS gibt es doch erst seit 2015, oder?",
])
def test_one_question_comes_back_whole(text: str):
    assert split_questions(text) == ([text], False)


def test_more_than_three_questions_are_cut_to_three_and_flagged():
    questions, more = split_questions("Was ist Efus? Wer ist Mitglied? Wo sitzt es? Wie finanziert es sich?")
    assert questions == ["Was ist Efus?", "Wer ist Mitglied?", "Wo sitzt es?"] and len(questions) == MAX_QUESTIONS
    assert more
