from __future__ import annotations

import pytest

from assistant import input_guard
from assistant.input_guard import check_request, clean_text


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


def test_clean_text_removes_control_characters_and_folds_space():
    assert clean_text("Wann\x00 wurde\u200b\n\nDEFUS  gegründet?\x1b") == "Wann wurde DEFUS gegründet?"


def test_normal_message_passes_cleaned():
    checked = check_request({"sender": "web-123", "message": "  Was ist Efus? "}, 1000)
    assert (checked.sender, checked.text, checked.problem) == ("web-123", "Was ist Efus?", None)
