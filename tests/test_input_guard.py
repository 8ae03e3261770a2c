from __future__ import annotations

import pytest

from assistant import input_guard
from assistant.input_guard import check_request, check_text, clean_text, last_question, only_last_question


@pytest.mark.parametrize("payload, problem", [
    ([], input_guard.NOT_AN_OBJECT),
    ("text", input_guard.NOT_AN_OBJECT),
    ({"message": "Hallo"}, input_guard.MISSING_SENDER),
    ({"sender": "   ", "message": "Hallo"}, input_guard.MISSING_SENDER),
    ({"sender": 42, "message": "Hallo"}, input_guard.INVALID_SENDER),
    ({"sender": "a b", "message": "Hallo"}, input_guard.INVALID_SENDER),
    ({"sender": "x" * 129, "message": "Hallo"}, input_guard.INVALID_SENDER),
    ({"sender": "abc"}, input_guard.NOT_A_TEXT),
    ({"sender": "abc", "message": ["Hallo"]}, input_guard.NOT_A_TEXT),
    ({"sender": "abc", "message": "  \n\t "}, input_guard.EMPTY_MESSAGE),
    ({"sender": "abc", "message": "\x00\x07\u200b"}, input_guard.EMPTY_MESSAGE),
])
def test_bad_requests_are_client_errors_with_a_german_message(payload, problem):
    checked = check_request(payload, 1000)
    assert checked.problem == problem and checked.client_error and checked.text is None


def test_too_long_message_gets_a_reply_not_an_error():
    checked = check_request({"sender": "abc", "message": "a" * 5000}, 1000)
    assert not checked.client_error
    assert checked.problem == ("Ihre Nachricht ist leider zu lang. Bitte fassen Sie Ihre Frage kürzer "
                               "(höchstens 1.000 Zeichen).")


STORY = ("Ich wohne seit vielen Jahren in Bochum und habe neulich in der Zeitung etwas über "
         "Sicherheit in der Innenstadt gelesen. " * 20)


def test_a_long_story_is_answered_by_its_last_question_with_a_notice():
    checked = check_request({"sender": "abc", "message": STORY + "Wann wurde DEFUS gegründet?"}, 1000)
    assert (checked.text, checked.problem) == ("Wann wurde DEFUS gegründet?", None)
    assert checked.notice == ("Ihre Nachricht ist länger als 1.000 Zeichen, daher habe ich nur die "
                              "letzte Frage darin beantwortet.")


def test_of_several_questions_the_last_one_counts_and_never_more_than_the_limit():
    text = "Was ist Efus? " + STORY + "Wo sitzt Efus? Danke schön."
    assert last_question(text, 1000) == "Wo sitzt Efus?"
    assert check_request({"sender": "abc", "message": STORY}, 1000).notice == (
        "Ihre Nachricht ist länger als 1.000 Zeichen, daher habe ich nur ihren letzten Teil beantwortet.")
    without_question = last_question(STORY, 1000)
    assert 0 < len(without_question) <= 1000 and STORY.strip().endswith(without_question)
    assert not without_question.startswith(" ") and STORY.count(without_question.split()[0]) >= 1


def test_the_agent_console_and_button_titles_still_refuse_long_text():
    checked = check_text("agent-console", STORY, 1000)
    assert checked.text is None and checked.notice is None and "zu lang" in checked.problem
    assert only_last_question(1000) not in (checked.problem or "")


def test_clean_text_removes_control_characters_and_folds_space():
    assert clean_text("Wann\x00 wurde\u200b\n\nDEFUS  gegründet?\x1b") == "Wann wurde DEFUS gegründet?"


def test_normal_message_passes_cleaned():
    checked = check_request({"sender": "web-123", "message": "  Was ist Efus? "}, 1000)
    assert (checked.sender, checked.text, checked.problem) == ("web-123", "Was ist Efus?", None)
