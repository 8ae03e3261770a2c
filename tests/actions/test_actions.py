"""Drive the real actions with real rasa_sdk trackers against the real knowledge base."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.handoff import ActionHandoff


def tracker(intent: str, text: str = "", entities: list[dict[str, Any]] | None = None,
            ranking: tuple[str, ...] = (), **slots: Any) -> Tracker:
    message = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text,
               "intent_ranking": [{"name": name, "confidence": 0.1} for name in (intent, *ranking)]}
    return Tracker("test-sender", slots, message, [], False, None, {}, "action_listen")


def run(action, current: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, current, {}))
    return dispatcher.messages, events


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def test_answer_uses_entity_and_remembers_network_and_question():
    messages, events = run(ActionAnswerQuestion(), tracker(
        "ask_founding", "Wann wurde DEFUS gegründet?", [{"entity": "network", "value": "defus"}]))
    assert "DEFUS wurde am 10. Mai 2010 in Berlin gegründet." in messages[0]["text"]
    assert slots_of(events) == {"network": "defus", "question": "ask_founding", "city": None,
                                "referent": "defus-founding", "answered": ["defus-founding"]}


def test_follow_up_without_entity_uses_the_slot():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_seat", "und wo sitzt es?", network="efus"))
    assert "Die Geschäftsstelle von Efus ist in Paris." in messages[0]["text"]


def test_ambiguous_question_offers_buttons_that_answer_the_pending_question():
    messages, events = run(ActionAnswerQuestion(), tracker("ask_founding", "Wann wurde es gegründet?"))
    buttons = messages[0]["buttons"]
    assert [button["title"] for button in buttons] == ["Efus", "DEFUS"]
    payload = buttons[1]["payload"]
    assert payload == '/inform_network{"network": "defus"}'
    entities = [{"entity": "network", "value": json.loads(payload[len("/inform_network"):])["network"]}]
    slots = slots_of(events)
    messages, _ = run(ActionAnswerQuestion(), tracker("inform_network", payload, entities, **slots))
    assert "DEFUS wurde am 10. Mai 2010" in messages[0]["text"]


def test_membership_of_city_written_without_umlauts():
    messages, _ = run(ActionAnswerQuestion(), tracker(
        "ask_membership", "Ist Muenchen bei Efus?",
        [{"entity": "network", "value": "efus"}, {"entity": "city", "value": "Muenchen"}]))
    assert messages[0]["text"].startswith("Ja, München ist Mitglied von Efus.")


def test_handoff_gives_a_short_code_and_keeps_it_for_the_conversation():
    messages, events = run(ActionHandoff(), tracker("request_human", "Ich möchte mit einem Menschen sprechen"))
    code = slots_of(events)["handoff_code"]
    assert re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    assert code in messages[0]["text"] and "Callcenter der Stadt Bochum" in messages[0]["text"]
    assert "test-sender" not in messages[0]["text"]
    again, events = run(ActionHandoff(), tracker("request_human", "Mitarbeiter bitte", handoff_code=code))
    assert code in again[0]["text"] and slots_of(events)["handoff_code"] == code


def test_handoff_never_invents_a_phone_number():
    messages, _ = run(ActionHandoff(), tracker("request_human", "Telefonnummer?"))
    assert not re.search(r"\d{3,}[ /-]?\d{3,}", messages[0]["text"])


def test_a_question_about_an_aspect_without_facts_is_answered_honestly_not_with_another_fact():
    messages, events = run(ActionAnswerQuestion(), tracker(
        "ask_offers", "Welche Sprache spricht man auf den Efus-Konferenzen?", ranking=("ask_topics",)))
    text = messages[0]["text"]
    assert text.startswith("Zum Stichwort „Sprache“ bei Efus liegen mir keine gesicherten Informationen vor.")
    assert "https://efus.eu" in text and "Konferenzen" not in text and len(messages) == 1
    assert slots_of(events)["network"] == "efus"


def test_a_wrong_premise_is_corrected_with_the_sourced_value():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_founding", "DEFUS gibt es doch erst seit 2015, oder?"))
    assert messages[0]["text"].startswith("Nein, das stimmt so nicht. DEFUS wurde am 10. Mai 2010")
    assert "Quelle" in messages[0]["text"]


def test_a_right_premise_is_confirmed():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_seat", "Stimmt es, dass Efus in Paris sitzt?"))
    assert messages[0]["text"].startswith("Ja, das stimmt. Die Geschäftsstelle von Efus ist in Paris.")


def test_the_second_guess_of_the_intent_model_answers_when_only_its_words_fit():
    messages, _ = run(ActionAnswerQuestion(), tracker("nlu_fallback", "efus staaten",
                                                      ranking=("ask_legal_form", "ask_members")))
    assert "17 europäischen Ländern" in messages[0]["text"]


def test_an_unsure_question_that_fits_two_kinds_asks_back_with_both_as_buttons():
    messages, _ = run(ActionAnswerQuestion(), tracker("nlu_fallback", "Wie organisiert Efus sich?",
                                                      ranking=("ask_legal_form", "ask_offers")))
    assert messages[0]["text"] == ("Möchten Sie etwas zur Rechtsform oder zu den Angeboten und "
                                   "Veranstaltungen von Efus wissen?")
    assert [(b["title"], b["payload"]) for b in messages[0]["buttons"]] == [
        ("Zur Rechtsform", '/ask_legal_form{"network": "efus"}'),
        ("Zu den Angeboten und Veranstaltungen", '/ask_offers{"network": "efus"}')]
    clicked, _ = run(ActionAnswerQuestion(), tracker("ask_legal_form", '/ask_legal_form{"network": "efus"}',
                                                     [{"entity": "network", "value": "efus"}]))
    assert "eingetragener Verein nach französischem Recht" in clicked[0]["text"]


def test_an_unsure_question_without_telling_words_gets_the_intent_models_best_guess():
    messages, _ = run(ActionAnswerQuestion(), tracker("nlu_fallback", "Seit wann gibt es Efus eigentlich?",
                                                      ranking=("ask_founding", "ask_purpose")))
    assert "1987" in messages[0]["text"]


@pytest.mark.parametrize("intent, response", [("nlu_fallback", "utter_default"),
                                              ("out_of_scope", "utter_out_of_scope")])
def test_unsure_or_out_of_scope_without_a_network_keeps_the_polite_default(intent, response):
    messages, _ = run(ActionAnswerQuestion(), tracker(intent, "Wann kommt die Müllabfuhr?", ranking=("ask_founding",)))
    assert messages == [{**messages[0], "response": response}] and not messages[0].get("text")


def test_an_english_question_gets_the_fact_after_one_english_sentence():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_seat", "Where is the headquarters of Efus?"))
    assert messages[0]["text"].startswith("I answer in German only, so here is my answer in German: "
                                          "Die Geschäftsstelle von Efus ist in Paris.")


def test_another_language_gets_a_note_in_german_and_english():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_seat", "Où se trouve le siège de l'Efus ?"))
    assert "nur auf Deutsch" in messages[0]["text"] and "only answer in German" in messages[0]["text"]


def test_a_year_the_facts_do_not_name_is_not_answered_with_todays_figure():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_members", "Wie viele Mitglieder hatte Efus 1990?"))
    assert messages[0]["text"].startswith("Zum Stichwort „1990“ bei Efus liegen mir keine gesicherten")


def test_a_yes_no_question_with_a_wrong_year_is_answered_no():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_city_role", "Ist Bochum seit 2020 Mitglied bei Efus?"))
    assert messages[0]["text"].startswith("Nein, das stimmt so nicht.") and "2023" in messages[0]["text"]


def test_a_person_asked_for_in_question_words_gets_the_human_route():
    messages, events = run(ActionAnswerQuestion(), tracker(
        "ask_leadership", "Wer ist im Rathaus für Efus zuständig? Mit dem möchte ich sprechen.",
        ranking=("request_human",)))
    assert "Gesprächscode" in messages[0]["text"] and slots_of(events)["handoff_code"]


def test_a_question_about_staff_is_no_handoff_when_the_model_did_not_consider_one():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_members", "Wie viele Mitarbeiter hat DEFUS?",
                                                      ranking=("ask_seat",)))
    assert "Gesprächscode" not in messages[0]["text"] and "keine gesicherten" in messages[0]["text"]


# -- the sources beside the text, for the widget's linked titles ------------------------------------

FOOTER = re.compile(r"\n\n(Quellen?): (.+?)(?:\nStand: \d{2}\.\d{2}\.\d{4})?$")


def test_an_answer_sends_the_sources_of_its_footer_as_data():
    messages, _ = run(ActionAnswerQuestion(), tracker(
        "ask_topics", "Welche Themen hat DEFUS?", [{"entity": "network", "value": "defus"}]))
    assert messages[0]["custom"] == {"sources": [
        {"title": "Stadt Bochum, Seite „Internationale Netzwerke“", "url": None},
        {"title": "DEFUS-Website, Seite „Ziele und Angebot“", "url": "http://www.defus.de/nano.cms/defus-ziele-angebot"},
    ]}
    # The text itself is unchanged: REST clients get the plain footer.
    assert messages[0]["text"].endswith("\n\nQuellen: Stadt Bochum, Seite „Internationale Netzwerke“; DEFUS-Website, "
                                        "Seite „Ziele und Angebot“, http://www.defus.de/nano.cms/defus-ziele-angebot")


def test_a_reply_without_a_footer_sends_no_sources():
    messages, _ = run(ActionAnswerQuestion(), tracker("ask_founding", "Wann wurde es gegründet?"))
    assert messages[0]["buttons"] and not messages[0]["custom"]


def footer_turns(kb) -> list[Tracker]:
    """A question of every kind about each network, and the membership, premise and language cases."""
    turns = [tracker(intent, f"Frage zu {network}", [{"entity": "network", "value": network}])
             for intent in kb.questions for network in ("efus", "defus")]
    turns += [tracker(intent, text, entities) for intent, text, entities in [
        ("ask_membership", "Ist Köln Mitglied bei Efus?", [{"entity": "city", "value": "Köln"}]),
        ("ask_membership", "Gehört Herne zum Efus?", [{"entity": "city", "value": "Herne"}]),
        ("ask_membership", "Ist Bochum bei DEFUS?", [{"entity": "city", "value": "Bochum"}]),
        ("ask_membership", "Ist Dortmund bei DEFUS?", [{"entity": "city", "value": "Dortmund"}]),
        ("ask_membership", "Welche Städte sind bei DEFUS?", []),
        ("ask_city_role", "Ist Bochum seit 2020 Mitglied bei Efus?", []),
        ("ask_city_role", "Was macht Bochum bei DEFUS?", []),
        ("ask_relation", "Wie hängen Efus und DEFUS zusammen?", []),
        ("ask_founding", "DEFUS gibt es doch erst seit 2015, oder?", []),
        ("ask_seat", "Where is the headquarters of Efus?", []),
    ]]
    return turns


def test_every_message_with_a_footer_carries_exactly_the_sources_it_cites(kb):
    footers = 0
    for current in footer_turns(kb):
        messages, _ = run(ActionAnswerQuestion(), current)
        for message in messages:
            text, sources = message.get("text") or "", (message.get("custom") or {}).get("sources")
            footer = FOOTER.search(text)
            if footer is None:
                assert sources is None, (current.latest_message["text"], message)
                continue
            footers += 1
            cited = "; ".join(f"{source['title']}, {source['url']}" if source["url"] else source["title"]
                              for source in sources or [])
            assert footer.group(2) == cited, (current.latest_message["text"], text, sources)
            assert footer.group(1) == ("Quelle" if len(sources) == 1 else "Quellen")
    assert footers >= 25


def test_a_handoff_that_asks_for_contact_details_first_says_the_sources_lack_them():
    asked = "Haben Sie eine E-Mail-Adresse von DEFUS für mich?"
    messages, events = run(ActionHandoff(), tracker("request_human", asked))
    text = messages[0]["text"]
    assert text.startswith("Zum Stichwort „E-Mail-Adresse“ liegen mir keine gesicherten Informationen vor.")
    assert slots_of(events)["handoff_code"] in text and "Callcenter der Stadt Bochum" in text
    plain, _ = run(ActionHandoff(), tracker("request_human", "Ich möchte mit einem Menschen sprechen"))
    assert plain[0]["text"].startswith("Gern gebe ich Ihr Anliegen")
