from __future__ import annotations

import re

import pytest

from assistant.answering import Answerer, Context, Turn
from tests.primary_facts import EFUS_MEMBER_CITIES, PRIMARY_FACTS


def texts(answerer: Answerer, turn: Turn) -> str:
    return "\n".join(message.text for message in answerer.reply(turn).messages)


@pytest.mark.parametrize("question, intent, network, patterns", PRIMARY_FACTS)
def test_every_primary_fact_is_answered_with_its_source(answerer, question, intent, network, patterns):
    reply = texts(answerer, Turn(intent, question, (network,)))
    for pattern in patterns:
        assert re.search(pattern, reply), (pattern, reply)
    assert "Stadt Bochum, Seite „Internationale Netzwerke“" in reply


@pytest.mark.parametrize("city", [*EFUS_MEMBER_CITIES, "Bochum"])
def test_every_listed_efus_city_is_confirmed_as_member(answerer, city):
    reply = texts(answerer, Turn("ask_membership", f"Ist {city} bei Efus?", ("efus",), (city,)))
    assert reply.startswith(f"Ja, {city} ist")
    assert "Quelle: Stadt Bochum" in reply


def test_bochum_membership_names_the_year(answerer):
    reply = texts(answerer, Turn("ask_membership", "Ist Bochum Mitglied bei Efus?", ("efus",), ("Bochum",)))
    assert reply.startswith("Ja, Bochum ist seit 2023 Mitglied von Efus.")


@pytest.mark.parametrize("question", ["Ist unsere Stadt auch bei Efus?", "Macht meine Stadt bei Efus mit?",
                                      "Ist man hier bei uns Mitglied von Efus?"])
def test_our_city_is_the_city_this_assistant_serves(answerer, question):
    reply = texts(answerer, Turn("ask_membership", question, ("efus",)))
    assert reply.startswith("Ja, Bochum ist seit 2023 Mitglied von Efus."), reply


def test_our_city_at_defus_gets_what_the_sources_say_about_bochum(answerer):
    reply = texts(answerer, Turn("ask_membership", "Ist unsere Stadt auch bei DEFUS?", ("defus",)))
    assert "Bochum" in reply and "Nach welcher Stadt" not in reply, reply


AFTER_EFUS_FOUNDING = Context("efus", "ask_founding")


@pytest.mark.parametrize("intent, question", [
    ("nlu_fallback", "Und in welcher Stadt?"),
    ("nlu_fallback", "Wann war das?"),
    ("ask_leadership", "Auf wessen Anregung?"),  # the word fits the founding better
])
def test_an_elliptical_question_is_about_the_last_answer(answerer, intent, question):
    reply = texts(answerer, Turn(intent, question, context=AFTER_EFUS_FOUNDING, ranking=(intent,)))
    assert "1987 in Barcelona" in reply and "Quelle" in reply, reply


@pytest.mark.parametrize("intent, question, expected", [
    ("ask_members", "Wer ist Mitglied?", "250 Mitglieder"),
    ("ask_seat", "Und in welcher Stadt?", "Paris"),  # the NLU was sure: its kind stands
])
def test_a_short_question_of_another_kind_keeps_its_kind(answerer, intent, question, expected):
    reply = texts(answerer, Turn(intent, question, context=AFTER_EFUS_FOUNDING, ranking=(intent,)))
    assert expected in reply and "1987" not in reply, reply


def test_an_unsure_short_question_off_the_topic_is_still_not_understood(answerer):
    reply = answerer.reply(Turn("out_of_scope", "Wie ist das Wetter?", context=AFTER_EFUS_FOUNDING))
    assert [message.response for message in reply.messages] == ["utter_out_of_scope"]


def test_unlisted_city_is_neither_yes_nor_no(answerer):
    reply = texts(answerer, Turn("ask_membership", "Ist Dortmund dabei?", ("efus",), ("Dortmund",)))
    assert "Dortmund ist nicht unter den Städten, die meine Quellen als Mitglied von Efus nennen" in reply
    assert "nicht vollständig" in reply and "https://efus.eu" in reply
    assert not reply.startswith(("Ja", "Nein"))


def test_city_spelled_without_umlaut_in_genitive_is_understood(answerer):
    reply = texts(answerer, Turn("ask_membership", "wie ist das mit koelns mitgliedschaft bei efus"))
    assert reply.startswith("Ja, Köln ist Mitglied von Efus.")


def test_defus_membership_without_city_list_says_so(answerer):
    reply = texts(answerer, Turn("ask_membership", "Ist Köln bei DEFUS?", ("defus",), ("Köln",)))
    assert "Meine Quellen nennen keine einzelnen Mitgliedsstädte von DEFUS" in reply
    assert "18 Städte und 2 Organisationen" in reply


def test_follow_up_keeps_the_network(answerer):
    first = answerer.reply(Turn("ask_members", "Wie viele Mitglieder hat DEFUS?", ("defus",)))
    second = texts(answerer, Turn("ask_founding", "Und wann wurde es gegründet?", context=first.context))
    assert "DEFUS wurde am 10. Mai 2010 in Berlin gegründet." in second


def test_other_network_switches(answerer):
    first = answerer.reply(Turn("ask_founding", "Wann wurde DEFUS gegründet?", ("defus",)))
    second = answerer.reply(Turn("inform_network", "und das andere Forum?", ("other",), context=first.context))
    assert "Efus wurde 1987 in Barcelona" in second.messages[0].text
    assert second.context.network == "efus"


def test_unclear_network_is_asked_back_with_buttons_and_then_answered(answerer):
    asked = answerer.reply(Turn("ask_membership", "Ist Dortmund dabei?", (), ("Dortmund",)))
    [message] = asked.messages
    assert message.text.startswith("Welches Netzwerk meinen Sie")
    assert [(choice.title, choice.network) for choice in message.choices] == [("Efus", "efus"), ("DEFUS", "defus")]
    picked = texts(answerer, Turn("inform_network", "", ("efus",), context=asked.context))
    assert "Dortmund ist nicht unter den Städten" in picked


def test_both_networks_named_gives_two_answers(answerer):
    reply = answerer.reply(Turn("ask_founding", "Wann wurden Efus und DEFUS gegründet?", ("efus", "defus")))
    assert len(reply.messages) == 2
    assert "1987" in reply.messages[0].text and "2010" in reply.messages[1].text


def test_question_without_facts_is_answered_honestly_with_a_pointer(answerer):
    reply = texts(answerer, Turn("ask_seat", "Wo sitzt DEFUS?", ("defus",)))
    assert reply == ("Zum Sitz von DEFUS liegen mir keine gesicherten Informationen vor. Mehr erfahren "
                     "Sie auf der Website von DEFUS: https://www.defus.de")


def test_conflicting_figures_keep_the_primary_one_and_mention_the_others(answerer):
    reply = texts(answerer, Turn("ask_members", "Wie viele Mitglieder hat Efus?", ("efus",)))
    assert reply.index("circa 250") < reply.index("Hinweis: Andere Quellen nennen andere Zahlen")
    assert "16 Ländern" in reply


def test_volatile_facts_carry_an_as_of_date(answerer):
    reply = texts(answerer, Turn("ask_members", "Mitglieder DEFUS", ("defus",)))
    assert re.search(r"\nStand: \d{2}\.\d{2}\.\d{4}$", reply)


def test_markup_in_an_unknown_city_is_never_repeated(answerer):
    markup = "<script>x</script>"
    reply = texts(answerer, Turn("ask_membership", f"Ist {markup} Mitglied?", ("efus",), (markup,)))
    assert "<" not in reply and "script" not in reply


def test_every_answer_with_facts_ends_with_its_sources(answerer, kb):
    for intent, question in kb.questions.items():
        if question.subject != "network" or intent == "ask_membership":
            continue
        for network in kb.networks():
            reply = answerer.reply(Turn(intent, "", (network.id,)))
            for message in reply.messages:
                if reply.facts:
                    assert re.search(r"\n\nQuellen?: ", message.text), (intent, network.id)
                else:
                    assert "keine gesicherten Informationen" in message.text
