"""End to end: the real servers, started as `make run` starts them, over the REST webhook."""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.error
import urllib.request
import uuid

import pytest

from tests.e2e.conftest import tracker_db
from tests.primary_facts import PRIMARY_FACTS

pytestmark = [pytest.mark.servers, pytest.mark.model]


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.mark.parametrize("question, intent, network, patterns", PRIMARY_FACTS)
def test_every_primary_fact_over_rest(ask, question, intent, network, patterns):
    reply = ask(new_sender(), question)
    for pattern in patterns:
        assert re.search(pattern, reply), (question, pattern, reply)
    assert "Quelle" in reply


def test_follow_up_and_switch_over_rest(ask):
    sender = new_sender()
    assert "10. Mai 2010" in ask(sender, "Wann wurde DEFUS gegründet?")
    assert "18 Städte und 2 Organisationen" in ask(sender, "Und wie viele Mitglieder hat es?")
    assert "circa 250" in ask(sender, "und das andere Forum?")


def test_clarification_by_button_payload(post):
    sender = new_sender()
    status, replies = post({"sender": sender, "message": "Ist Dortmund dabei?"})
    assert status == 200
    buttons = replies[0]["buttons"]
    assert [button["title"] for button in buttons] == ["Efus", "DEFUS"]
    status, replies = post({"sender": sender, "message": buttons[0]["payload"]})
    assert "Dortmund ist nicht unter den Städten" in replies[0]["text"]


def test_membership_of_listed_and_unlisted_cities(ask):
    assert ask(new_sender(), "Ist Koeln Mitglied bei Efus?").startswith("Ja, Köln ist Mitglied von Efus.")
    reply = ask(new_sender(), "Gehört Herne zum Efus?")
    assert "nicht unter den Städten" in reply and "nicht vollständig" in reply


def test_unknown_fact_is_admitted_with_a_pointer(ask):
    reply = ask(new_sender(), "Wer ist Vorsitzender von DEFUS?")
    assert "keine gesicherten Informationen" in reply and "https://www.defus.de" in reply


@pytest.mark.parametrize("message", [
    "Wann wird der Sperrmüll abgeholt?",
    "Wo kann ich meinen Reisepass verlängern?",
])
def test_out_of_scope_gets_a_polite_pointer(ask, message):
    assert "Efus und DEFUS" in ask(new_sender(), message)


def test_handoff_gives_a_code(ask):
    reply = ask(new_sender(), "Ich möchte mit einem Menschen sprechen")
    assert re.search(r"Gesprächscode: [A-Z0-9]{3}-[A-Z0-9]{3}", reply)


@pytest.mark.parametrize("message", [
    "😀😀😀",
    "<script>alert('x')</script>",
    "'; DROP TABLE events; --",
    "What is the weather like in London today?",
    "Wie " + "sehr " * 200 + "lang ist das?",
    "a" * 5000,
])
def test_odd_input_gets_a_german_reply_without_markup(ask, message):
    reply = ask(new_sender(), message)
    assert reply and "<" not in reply and "DROP TABLE" not in reply
    assert re.search(r"[äöüß]|Ihre|Sie|ich", reply)


def test_a_long_story_is_answered_by_its_last_question(post):
    story = ("Ich bin neu in Bochum, lese gerade viel über die Stadt und bin dabei auf die "
             "Sicherheitsnetzwerke gestoßen, von denen auf der Website die Rede ist. ") * 12
    status, replies = post({"sender": new_sender(), "message": story + "Wo hat Efus seinen Sitz?"})
    assert status == 200 and len(replies) >= 2
    assert replies[0]["text"].startswith("Ihre Nachricht ist länger als")
    answer = "\n".join(reply.get("text", "") for reply in replies[1:])
    assert "Paris" in answer and "Quelle" in answer, answer
    assert "Sicherheitsnetzwerke gestoßen" not in answer


def test_two_questions_in_one_message_get_two_sourced_answers_in_order(post):
    status, replies = post({"sender": new_sender(), "message": "Wann wurde Efus gegründet und wo sitzt es?"})
    text = "\n".join(reply.get("text", "") for reply in replies)
    assert status == 200
    assert "1987" in text and "Paris" in text and text.index("1987") < text.index("Paris"), text
    assert text.count("Quelle") >= 2, text


def test_more_than_three_questions_get_three_answers_and_a_note(post):
    message = "Was ist Efus? Wo sitzt Efus? Wann wurde DEFUS gegründet? Wo sitzt DEFUS?"
    status, replies = post({"sender": new_sender(), "message": message})
    assert status == 200
    assert replies[-1]["text"].startswith("Sie haben mehr als 3 Fragen")
    answers = "\n".join(reply.get("text", "") for reply in replies[:-1])
    assert "Paris" in answers and "2010" in answers, answers
    assert "DEFUS liegen" not in answers and "von DEFUS ist" not in answers, answers  # the 4th is not answered


@pytest.mark.parametrize("body, raw", [
    ({"sender": "x", "message": ""}, None),
    ({"sender": "x", "message": "   "}, None),
    ({"sender": "a b", "message": "Hallo"}, None),
    ([{"sender": "x", "message": "Hallo"}], None),
    ({"sender": "x", "message": 42}, None),
    (None, b""),
    (None, b"{not json"),
])
def test_malformed_requests_get_a_400_with_a_german_message(post, body, raw):
    status, reply = post(body, raw=raw)
    assert status == 400
    assert reply["error"] and re.search(r"[äöü]|Bitte|Anfrage", reply["error"])


def test_conversation_is_stored_in_the_sqlite_tracker_store(ask, post, stack):
    sender = new_sender()
    ask(sender, "Wann wurde Efus gegründet?")
    with sqlite3.connect(tracker_db(stack)) as db:
        rows = db.execute("SELECT type_name FROM events WHERE sender_id = ?", (post.ids[sender],)).fetchall()
    assert ("user",) in rows and ("bot",) in rows


def test_rasa_http_api_needs_a_valid_jwt(stack):
    import jwt

    url = f"{stack.settings.rasa_url}/conversations/someone/tracker"

    def status(headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status({}) == 401
    forged = jwt.encode({"user": {"username": "x", "role": "admin"}}, "not-the-secret", algorithm="HS256")
    assert status({"Authorization": f"Bearer {forged}"}) == 401
    token = jwt.encode({"user": {"username": "agent", "role": "admin"}}, stack.settings.rasa_jwt_secret(),
                       algorithm="HS256")
    assert status({"Authorization": f"Bearer {token}"}) == 200


def test_rasa_http_api_refuses_a_user_token_another_conversation(stack):
    """Rasa 3.6 (rasa.server.requires_auth): a valid token with role "user" may read only the
    conversation named like its username; any other is 403 "NotAuthorized"."""
    import jwt

    token = jwt.encode({"user": {"username": "a", "role": "user"}}, stack.settings.rasa_jwt_secret(),
                       algorithm="HS256")

    def tracker(conversation: str) -> tuple[int, dict]:
        request = urllib.request.Request(f"{stack.settings.rasa_url}/conversations/{conversation}/tracker",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, body = tracker("b")
    assert status == 403
    assert body == {"error": "Für diese Anfrage fehlt Ihnen die Berechtigung."}
    status, body = tracker("a")
    assert status == 200 and body["sender_id"] == "a"


def test_oversized_request_body_is_refused(post):
    status, _ = post(None, raw=b'{"sender": "x", "message": "' + b"a" * 100_000 + b'"}')
    assert status == 413


def test_a_long_conversation_keeps_getting_real_answers(ask):
    # Rasa posts the whole tracker to the action server with every action call; a request-size
    # limit meant for citizens' requests once broke every conversation at about turn 19.
    sender = new_sender()
    for turn in range(30):
        reply = ask(sender, "Wann wurde DEFUS gegründet?" if turn % 2 else "Was ist Efus?")
        assert "Entschuldigung" not in reply, f"turn {turn + 1}: {reply}"
    assert "10. Mai 2010" in reply


# -- the last answer is the referent (issue examples, over the REST webhook) -------------------------

@pytest.mark.parametrize("turns", [
    [("Wann wurde Efus gegründet?", "1987"), ("Und in welcher Stadt?", "Barcelona"),
     ("Auf wessen Anregung?", "Gilbert Bonnemaison")],
    [("Hat Bochum schon mal an einer DEFUS-Versammlung teilgenommen?", "Essen"),
     ("In welcher Stadt war das?", "in Essen"), ("Wie viele Tage dauerte sie?", "zweitägigen")],
    [("Mich interessiert DEFUS.", ""), ("Welche Themen hat es?", "Sicherheit im öffentlichen Raum")],
    [("Was ist Efus?", "circa 250"), ("Super, danke. Und wie groß ist das deutsche Forum?", "18 Städte")],
    [("Erzähl mir etwas über Efus.", "circa 250"), ("Macht Bochum da mit?", "2023")],
    [("Seit wann ist Bochum bei Efus?", "2023"), ("Was verspricht sich die Stadt davon?", "internationale Vernetzung")],
    [("Wann wurde Efus gegründet?", "1987"), ("Und bei DEFUS?", "2010"), ("Und beim anderen Netzwerk?", "1987")],
], ids=["founding", "assembly", "interest", "thanks-and-question", "bochum-there", "motivation", "switch"])
def test_follow_ups_are_answered_for_what_was_just_answered(ask, turns):
    sender = new_sender()
    for question, expected in turns:
        reply = ask(sender, question)
        assert expected in reply and "nicht verstanden" not in reply, (question, reply)
        if expected:
            assert "Quelle" in reply, (question, reply)


def test_our_city_after_saying_where_one_lives_is_bochum(ask):
    sender = new_sender()
    ask(sender, "Ich komme aus Bochum.")
    reply = ask(sender, "Ist unsere Stadt auch bei DEFUS?")
    assert "Bochum" in reply and "Essen" in reply and "Nach welcher Stadt" not in reply, reply


def test_a_detail_the_sources_do_not_hold_is_said_for_that_referent(ask):
    sender = new_sender()
    ask(sender, "Hat Bochum an einer DEFUS-Versammlung teilgenommen?")
    reply = ask(sender, "Und wie viele?")
    assert "Zur Anzahl der DEFUS-Mitgliederversammlung im Oktober 2023 liegen mir keine" in reply, reply


def test_a_question_for_an_aspect_the_fact_does_not_hold_is_answered_honestly(ask):
    reply = ask(new_sender(), "Wann hat die Geschäftsstelle von Efus geöffnet?")
    assert "liegen mir keine gesicherten Informationen vor" in reply and "Paris" not in reply, reply
