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


@pytest.mark.parametrize("intent, question, expected", [
    ("nlu_fallback", "Und in welcher Stadt?", "1987 in Barcelona"),
    ("nlu_fallback", "Wann war das?", "1987 in Barcelona"),
    # The word fits the founding better, and "wessen" asks for the initiator, not the date.
    ("ask_leadership", "Auf wessen Anregung?", "Gilbert Bonnemaison"),
])
def test_an_elliptical_question_is_about_the_last_answer(answerer, intent, question, expected):
    reply = texts(answerer, Turn(intent, question, context=AFTER_EFUS_FOUNDING, ranking=(intent,)))
    assert expected in reply and "Quelle" in reply, reply


def conversation(answerer: Answerer, *turns: tuple[str, str, tuple[str, ...]]) -> list[str]:
    """Each turn as (intent, text, networks), with the context the previous reply left."""
    context, replies = Context(), []
    for intent, text, networks in turns:
        reply = answerer.reply(Turn(intent, text, networks, context=context, ranking=(intent,)))
        context = reply.context
        replies.append("\n".join(message.text for message in reply.messages))
    return replies


@pytest.mark.parametrize("follow_up, intent, expected, not_expected", [
    ("In welcher Stadt war das?", "ask_seat", "in Essen", "Sitz"),
    ("Wie viele Tage dauerte sie?", "nlu_fallback", "zweitägigen", "nicht verstanden"),
    ("Wann war das?", "nlu_fallback", "Oktober 2023", "nicht verstanden"),
    # A facet the sources do not hold is named for that referent, not answered with another fact.
    ("Und wie viele?", "nlu_fallback", "Zur Anzahl der DEFUS-Mitgliederversammlung im Oktober 2023",
     "18 Städte"),
    # A word no kind of question covers does not make it a question of another kind.
    ("Wie viele Leute waren da?", "ask_detail", "Zur Anzahl der DEFUS-Mitgliederversammlung im Oktober 2023",
     "18 Städte"),
])
def test_the_assembly_just_answered_is_the_referent(answerer, follow_up, intent, expected, not_expected):
    first, second = conversation(
        answerer,
        ("ask_city_role", "Hat Bochum schon mal an einer DEFUS-Versammlung teilgenommen?", ("defus",)),
        (intent, follow_up, ()))
    assert "Essen" in first
    assert expected in second and not_expected not in second, second


def test_a_facet_named_by_another_fact_is_answered_by_that_fact(answerer):
    _, where, who = conversation(answerer, ("ask_founding", "Wann wurde DEFUS gegründet?", ("defus",)),
                                 ("nlu_fallback", "Und wo?", ()), ("nlu_fallback", "Wer war das?", ()))
    assert "in Berlin" in where and "Quelle" in where
    assert "damaligen deutschen Mitglieder von Efus" in who and "Quelle" in who, who


def test_why_after_the_membership_is_the_citys_motivation(answerer):
    _, why = conversation(answerer, ("ask_city_role", "Seit wann ist Bochum bei Efus?", ("efus",)),
                          ("nlu_fallback", "Warum?", ()))
    assert "internationale Vernetzung" in why, why


def test_a_question_for_a_time_the_seat_does_not_hold_is_answered_honestly(answerer):
    reply = texts(answerer, Turn("ask_seat", "Wann hat die Geschäftsstelle von Efus geöffnet?", ("efus",)))
    assert reply.startswith("Zum Zeitpunkt der Geschäftsstelle von Efus liegen mir keine gesicherten"), reply
    assert "Paris" not in reply and "https://efus.eu" in reply


def test_a_facet_question_gets_only_the_facts_that_answer_it(answerer):
    reply = texts(answerer, Turn("ask_founding", "Wer hat Efus gegründet?", ("efus",)))
    assert "Gilbert Bonnemaison" in reply and "1987" not in reply, reply
    since = texts(answerer, Turn("ask_founding", "Wie lange gibt es Efus schon?", ("efus",)))
    assert "1987" in since, since


def test_a_question_about_someone_the_facts_name_is_not_known_rather_than_off_topic(answerer):
    reply = texts(answerer, Turn("out_of_scope", "Welcher Partei gehörte Gilbert Bonnemaison an?",
                                 ranking=("ask_founding",)))
    assert "liegen mir keine gesicherten Informationen vor" in reply and "Partei" in reply, reply
    assert "1987" not in reply


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


@pytest.mark.parametrize("intent, question, network, word, not_said", [
    # A yes-or-no question whose noun the answering facts do not contain is not so "known".
    ("ask_seat", "Hat Efus auch ein Büro in Brüssel?", "efus", "Brüssel", "Paris"),
    ("ask_members", "Ist Österreich bei Efus vertreten?", "efus", "Österreich", "Augsburg"),
    # "Welche …?" for what the facts only count.
    ("ask_members", "Welche Organisationen sind Mitglied bei DEFUS?", "defus", "Organisationen", "18 Städte"),
    # A yes-or-no question that starts with another verb.
    ("ask_topics", "Arbeitet DEFUS mit der Polizei NRW zusammen?", "defus", "Polizei", "Themenschwerpunkte"),
    # Typed in lower case: a word the vocabulary does not know counts as a noun.
    ("ask_website", "gibts dazu irgendwelche berichte zum runterladen?", "defus", "runterladen",
     "finden Sie unter"),
    # A nationality before a word for members names the country.
    ("ask_membership", "sind auch polnische staedte bei efus", "efus", "Polen", "Augsburg"),
    # A count of one kind of members ("deutsche") that only the count of all could seem to answer.
    ("ask_members", "Wie viele deutsche Städte sind insgesamt Mitglied bei Efus?", "efus", "deutsche Städte",
     "250"),
])
def test_a_question_the_facts_only_touch_is_answered_honestly(answerer, intent, question, network, word, not_said):
    reply = texts(answerer, Turn(intent, question, (network,), ranking=(intent,)))
    assert reply.startswith(f"Zum Stichwort „{word}“ bei") and "keine gesicherten Informationen" in reply, reply
    assert not_said not in reply


def test_a_yes_or_no_question_the_facts_answer_keeps_its_answer(answerer):
    reply = texts(answerer, Turn("ask_seat", "Ist die Geschäftsstelle von Efus in Paris?", ("efus",)))
    assert "Paris" in reply and "Quelle" in reply, reply


def test_a_confirmation_tag_is_not_a_negation(answerer):
    reply = texts(answerer, Turn("ask_relation", "DEFUS ist die deutsche Sektion von Efus, nicht wahr?",
                                 ("defus", "efus")))
    assert reply.startswith("Ja, das stimmt."), reply


def test_who_is_responsible_at_the_city_is_not_answered_with_the_membership(answerer):
    reply = texts(answerer, Turn("ask_city_role", "Wer bei uns in Bochum ist für Efus zuständig?", ("efus",),
                                 ("Bochum",)))
    assert "keine gesicherten Informationen" in reply and "Callcenter" in reply, reply
    assert "seit 2023" not in reply


def test_on_which_occasion_after_the_founding_is_its_event(answerer):
    _, event = conversation(answerer, ("ask_founding", "Wo wurde DEFUS gegründet?", ("defus",)),
                            ("ask_detail", "Auf welcher Veranstaltung?", ()))
    assert "Präventionstag" in event and "Quelle" in event, event


@pytest.mark.parametrize("question, network, expected, not_said", [
    ("An welchem Tag wurde DEFUS gegründet?", "defus", "10. Mai 2010", "keine gesicherten"),
    # The sources name only the year of the founding of Efus.
    ("An welchem Tag im Jahr 1987 wurde Efus gegründet?", "efus",
     "Zum genauen Datum der Gründung von Efus liegen mir keine gesicherten Informationen vor.", "Barcelona"),
])
def test_the_exact_day_is_given_only_where_the_sources_name_it(answerer, question, network, expected, not_said):
    reply = texts(answerer, Turn("ask_founding", question, (network,), ranking=("ask_founding",)))
    assert expected in reply and not_said not in reply, reply


def test_a_city_that_is_the_place_of_the_assembly_is_not_asked_about_itself(answerer):
    question = "Wie lange ging die DEFUS-Mitgliederversammlung in Essen, bei der Bochum dabei war?"
    reply = texts(answerer, Turn("ask_city_role", question, ("defus",), ("Essen", "Bochum")))
    assert "zweitägigen" in reply and "Mitgliedsstädte" not in reply, reply


def test_a_ranking_the_sources_do_not_make_is_not_answered_with_a_fact(answerer):
    reply = texts(answerer, Turn("ask_relation", "Welches Netzwerk ist besser, Efus oder DEFUS?", ("efus", "defus")))
    assert "keine gesicherten Informationen" in reply and "Sektion" not in reply, reply


def test_a_described_network_is_answered_for_what_is_asked_not_for_the_description(answerer):
    reply = texts(answerer, Turn("ask_purpose", "Welche Ziele verfolgt das Netzwerk mit Sitz in Paris?",
                                 ranking=("ask_purpose", "ask_seat")))
    assert "Sanktionen" in reply and "Geschäftsstelle" not in reply, reply


@pytest.mark.parametrize("question, intent, expected", [
    ("Wie heißt das Manifest von Efus?", "ask_purpose", "Security, Democracy"),
    ("Wie heißt der Präsident von Efus?", "ask_leadership", "keine gesicherten Informationen"),
])
def test_a_name_is_given_only_for_what_the_facts_name(answerer, question, intent, expected):
    assert expected in texts(answerer, Turn(intent, question, ("efus",), ranking=(intent,)))


@pytest.mark.parametrize("claim, verdict", [
    ("Das deutsche Forum ist eine GmbH, oder?", "Das kann ich so nicht bestätigen."),
    ("DEFUS ist ein eingetragener Verein, oder?", "Ja, das stimmt."),
    ("Efus ist ein Netzwerk von Städten, oder?", "Ja, das stimmt."),
])
def test_what_a_claim_says_something_is_is_checked_against_the_facts(answerer, claim, verdict):
    network = "efus" if claim.startswith("Efus") else "defus"
    kind = "ask_purpose" if network == "efus" else "ask_legal_form"
    reply = texts(answerer, Turn(kind, claim, (network,), ranking=(kind,)))
    assert reply.startswith(verdict), reply


def test_whose_initiative_is_the_founding_even_when_the_model_guesses_otherwise(answerer):
    reply = texts(answerer, Turn("nlu_fallback", "Auf wessen Initiative geht Efus zurück?", ("efus",),
                                 ranking=("nlu_fallback", "ask_topics", "ask_leadership", "ask_founding")))
    assert "Bonnemaison" in reply, reply


@pytest.mark.parametrize("intent, question, network", [
    ("ask_purpose", "Was steht in Paragraf 3 der DEFUS-Satzung?", "defus"),
    ("ask_city_role", "Welches Amt der Bochumer Stadtverwaltung betreut die Netzwerkarbeit mit DEFUS?", "defus"),
    ("ask_city_role", "Hat sich die Sicherheit in Bochum durch die Efus-Mitgliedschaft messbar verbessert?", "efus"),
])
def test_documents_offices_and_effects_the_sources_do_not_describe_are_not_known(answerer, intent, question,
                                                                                   network):
    reply = texts(answerer, Turn(intent, question, (network,), ranking=(intent,)))
    assert "keine gesicherten Informationen" in reply and "Quelle:" not in reply, reply


def test_an_event_the_facts_do_not_tell_is_not_answered_with_the_founding(answerer):
    _, died = conversation(answerer, ("ask_founding", "Wer hat Efus gegründet?", ("efus",)),
                           ("out_of_scope", "Wann ist er gestorben?", ()))
    assert "keine gesicherten Informationen" in died and "1987" not in died, died


def test_the_citys_fact_that_holds_the_questions_noun_answers_when_no_network_is_named(answerer):
    reply = texts(answerer, Turn("ask_city_role", "Hat Bochum an einer Versammlung teilgenommen?", (), ("Bochum",)))
    assert "Mitgliederversammlung von DEFUS in Essen" in reply and "seit 2023 Mitglied von Efus" not in reply, reply


def test_where_a_network_stems_from_in_time_is_its_founding(answerer):
    reply = texts(answerer, Turn("ask_founding", "Aus welchem Jahr stammt das deutsche Netzwerk?", ("defus",),
                                 ranking=("ask_founding", "ask_funding")))
    assert "2010" in reply, reply


@pytest.mark.parametrize("first, networks, expected, not_expected", [
    # "Seit wann?" after a statement about a network is its founding ...
    ("Gibt es ein deutsches Forum wie Efus?", ("defus",), "10. Mai 2010", "liegen mir keine"),
    ("Was ist Efus?", ("efus",), "1987", "liegen mir keine"),
    # ... but not after the national forums, whose beginning the sources do not give.
    ("In welchen Ländern gibt es nationale Foren von Efus?", ("efus",), "Zum Beginn der nationalen Foren",
     "1987"),
])
def test_since_when_is_asked_of_the_fact_just_answered(answerer, first, networks, expected, not_expected):
    intent = "ask_relation" if "Forum" in first or "Foren" in first else "ask_purpose"
    _, since = conversation(answerer, (intent, first, networks), ("ask_founding", "Seit wann gibt es die?", ()))
    assert expected in since and not_expected not in since, since


def test_a_follow_up_the_intent_model_reads_as_the_last_kind_stays_with_it_and_its_network(answerer):
    first = answerer.reply(Turn("ask_funding", "Bekommt DEFUS Geld von Efus?", ("defus", "efus"),
                                ranking=("ask_funding", "ask_relation")))
    assert "Efus-Mitgliedschaft" in first.messages[0].text
    # Both networks named, the answer about DEFUS: "das" is DEFUS's funding, not a question back.
    second = answerer.reply(Turn("ask_funding", "Welche Beiträge sind das?", context=first.context,
                                 ranking=("ask_funding", "help", "ask_purpose")))
    text = "\n".join(message.text for message in second.messages)
    assert "Efus-Mitgliedschaft" in text and "Welches Netzwerk" not in text, text


@pytest.mark.parametrize("intent, question, network, word", [
    # The intent model reads a network's name with one more word as "und bei Efus?".
    ("inform_network", "efus telefonnr", "efus", "Kontaktdaten"),
    ("ask_purpose", "Was halten Sie persönlich von Efus?", "efus", "Bewertungen"),
    ("ask_members", "wieviele leute arbeiten bei defus", "defus", "Mitarbeitende"),
])
def test_what_no_fact_holds_is_said_so_whatever_the_intent(answerer, intent, question, network, word):
    reply = texts(answerer, Turn(intent, question, (network,), ranking=(intent,)))
    assert f"Zum Stichwort „{word}“" in reply and "Quelle" not in reply, reply


def test_a_country_is_answered_by_the_facts_that_name_it_or_honestly(answerer):
    austria = texts(answerer, Turn("ask_membership", "Ist Österreich bei Efus vertreten?", ("efus",),
                                   ranking=("ask_membership",)))
    assert "Zum Stichwort „Österreich“ bei Efus liegen mir keine gesicherten Informationen vor." in austria
    assert "Augsburg" not in austria
    germany = texts(answerer, Turn("ask_membership", "Ist Deutschland bei Efus vertreten?", ("efus",),
                                   ranking=("ask_membership",)))
    assert "Deutschland" in germany and "Quelle" in germany and "Personen" not in germany, germany


def test_the_source_of_the_last_answer_is_named_again(answerer):
    founding, source = conversation(answerer, ("ask_founding", "Wann wurde DEFUS gegründet?", ("defus",)),
                                    ("ask_source", "Woher wissen Sie das?", ()))
    assert "10. Mai 2010" in founding
    assert source.startswith("Meine letzte Antwort beruht auf dieser Quelle:")
    assert "Stadt Bochum, Seite „Internationale Netzwerke“" in source and "10. Mai 2010" not in source
    # Before any answer there is no source to name.
    first = texts(answerer, Turn("ask_source", "Quelle?", ranking=("ask_source",)))
    assert "Stellen Sie mir gern zuerst Ihre Frage" in first
    # After an honest "not known" there is nothing to cite, and the citizen has asked already.
    unknown, after = conversation(answerer, ("ask_seat", "Hat DEFUS ein Büro in Brüssel?", ("defus",)),
                                  ("ask_source", "Gibt es dafür eine Quelle?", ()))
    assert "keine gesicherten Informationen" in unknown, unknown
    assert after.startswith("Zu meiner letzten Antwort kann ich keine Quelle nennen"), after


def test_a_claim_is_judged_rather_than_answered_with_a_question_back(answerer):
    reply = texts(answerer, Turn("nlu_fallback", "Stimmt es, dass Bochum Gründungsmitglied von Efus war?",
                                 ("efus",), ("Bochum",), ranking=("nlu_fallback", "ask_membership", "ask_city_role")))
    assert reply.startswith("Das kann ich so nicht bestätigen. Bochum ist seit 2023 Mitglied von Efus."), reply
    assert "Möchten Sie" not in reply


def test_the_served_city_by_name_gets_the_membership_answer_for_each_network(answerer):
    defus = texts(answerer, Turn("ask_city_role", "Ist Bochum bei DEFUS?", ("defus",), ("Bochum",),
                                 ranking=("ask_city_role", "ask_membership")))
    assert defus.startswith("Meine Quellen nennen Bochum nicht als Mitglied von DEFUS, daher kann ich nicht"), defus
    both = texts(answerer, Turn("ask_membership", "Ist Bochum in einem Sicherheitsnetzwerk?", (), ("Bochum",),
                                ranking=("ask_membership",)))
    assert "Ja, Bochum ist seit 2023 Mitglied von Efus." in both and "DEFUS" in both
    assert "Welches Netzwerk meinen Sie" not in both


def test_since_when_another_city_is_a_member_is_not_answered_with_the_founding(answerer):
    reply = texts(answerer, Turn("ask_founding", "seit wann ist essen bei efus", ("efus",), ("Essen",),
                                 ranking=("ask_founding", "ask_seat", "ask_city_role")))
    assert "Essen wird in meinen Quellen als Mitglied von Efus genannt" in reply, reply
    assert "kann ich nicht sagen" in reply and "1987" not in reply


def test_every_city_named_in_a_membership_question_is_answered(answerer):
    reply = texts(answerer, Turn("ask_membership", "sind essen oder gelsenkirchen auch bei efus?", ("efus",),
                                 ("Essen", "Gelsenkirchen"), ranking=("ask_membership",)))
    assert "Ja, Essen ist Mitglied von Efus." in reply and "Ja, Gelsenkirchen ist Mitglied von Efus." in reply


def test_a_follow_up_is_about_the_fact_of_the_last_answer_that_holds_what_it_asks(answerer):
    _, count = conversation(answerer, ("ask_relation", "in welchen ländern gibts nationale foren von efus", ("efus",)),
                            ("ask_members", "Wie viele sind das?", ()))
    assert "sechs Ländern" in count and "Welches Netzwerk" not in count, count


def test_an_unsure_follow_up_whose_verb_resembles_another_kind_stays_with_the_referent(answerer):
    _, seats = conversation(answerer, ("ask_leadership", "wer hat bei efus eigentlich das sagen", ("efus",)),
                            ("out_of_scope", "Wie viele sitzen da drin?", ()))
    assert "27" in seats and "Geschäftsstelle" not in seats, seats


def test_a_facet_whose_value_the_question_already_names_is_not_known(answerer):
    reply = texts(answerer, Turn("ask_leadership", "wer leitet dieses exekutivkomitee bei efus", ("efus",),
                                 ranking=("ask_leadership",)))
    assert "keine gesicherten Informationen" in reply and "gewählt" not in reply, reply


def test_a_yes_no_question_about_a_city_the_facts_do_not_name_is_not_known(answerer):
    reply = texts(answerer, Turn("ask_leadership", "sitzt bochum bei efus eigentlich auch im vorstand", ("efus",),
                                 ("bochum",), ranking=("ask_leadership",)))
    assert "keine gesicherten Informationen" in reply and "Exekutivkomitee" not in reply, reply


def test_the_europeans_are_the_european_network(answerer):
    _, europe = conversation(answerer, ("ask_members", "wie viele mitglieder hat defus aktuell", ("defus",)),
                             ("inform_network", "und die europäer?", ("europäer",)))
    assert "250" in europe and "18 Städte" not in europe, europe


def test_which_cities_after_a_count_is_not_answered_with_the_count(answerer):
    _, which = conversation(answerer, ("ask_members", "Wer ist denn alles Mitglied bei DEFUS?", ("defus",)),
                            ("ask_members", "welche städte sind das", ()))
    assert "keine gesicherten Informationen" in which and "18 Städte" not in which, which


def test_a_follow_up_that_repeats_the_last_answers_nouns_stays_with_it_rather_than_asking_back(answerer):
    _, countries = conversation(answerer, ("ask_relation", "Gibt es sowas wie DEFUS auch in anderen Ländern?",
                                           ("defus",)),
                                ("ask_members", "Welche Länder sind das genau?", ()))
    assert "Belgien" in countries and "Welches Netzwerk" not in countries, countries


def test_of_a_kinds_facts_only_the_one_the_question_names_is_given(answerer):
    reply = texts(answerer, Turn("ask_offers", "Was ist der DEFUS-Monitor?", ("defus",), ranking=("ask_offers",)))
    assert "Musterbefragung" in reply and "Fördermitteln" not in reply, reply
    # A word that ends a compound singles out nothing: every event and offer is named.
    events = texts(answerer, Turn("ask_offers", "Welche Veranstaltungen organisiert DEFUS?", ("defus",),
                                  ranking=("ask_offers",)))
    assert "Workshops" in events and "Präsenzveranstaltungen" in events, events


def test_a_claim_with_the_particle_ja_is_judged(answerer):
    claim = "bochum war ja 2021 zum ersten mal bei ner defus mitgliederversammlung"
    reply = texts(answerer, Turn("ask_city_role", claim, ("defus",), ("bochum",), ranking=("ask_city_role",)))
    assert reply.startswith("Nein, das stimmt so nicht.") and "Oktober 2023" in reply, reply


def test_which_of_a_counted_set_after_a_preposition_is_not_known(answerer):
    reply = texts(answerer, Turn("ask_members", "Aus welchen 17 Ländern kommen die Mitglieder von Efus?", ("efus",),
                                 ranking=("ask_members",)))
    assert "keine gesicherten Informationen" in reply and "250" not in reply, reply


@pytest.mark.parametrize("question", ["Tel. [entfernt] Wann wurde DEFUS gegründet?",
                                      "[entfernt] Wann wurde DEFUS gegründet?"])
def test_what_the_input_guard_removed_is_no_word_of_the_question(answerer, question):
    reply = texts(answerer, Turn("ask_founding", question, ("defus",)))
    assert "2010" in reply
    assert "entfernt" not in reply


def test_a_count_of_a_kind_the_facts_count_is_answered(answerer):
    forums = texts(answerer, Turn("ask_members", "Wie viele nationale Foren für urbane Sicherheit gibt es bei Efus?",
                                  ("efus",), ranking=("ask_members", "ask_relation")))
    assert "sechs" in forums or "keine gesicherten" not in forums, forums
    german = texts(answerer, Turn("ask_members", "Wie viele deutsche Städte sind bei DEFUS?", ("defus",)))
    assert "18 Städte" in german, german


def test_the_city_named_by_the_nlu_s_fuzzy_match_only_is_not_asked_about(answerer):
    # The NLU's city entity finds "Geldern" in "Geld"; the citizen asked about DEFUS's funding.
    reply = texts(answerer, Turn("ask_funding", "Bekommt DEFUS Geld von Efus?", ("defus", "efus"), ("Geldern",),
                                 ranking=("ask_funding",)))
    assert "Hälfte" in reply and "Geldern" not in reply, reply


def test_who_of_an_event_is_not_the_city_the_question_names(answerer):
    reply = texts(answerer, Turn("ask_city_role", "Wer war denn für Bochum bei der Versammlung in Essen, der "
                                 "Oberbürgermeister selbst?", cities=("Bochum", "Essen"),
                                 ranking=("ask_city_role", "ask_membership")))
    assert "keine gesicherten Informationen" in reply and "zweitägigen" not in reply, reply


def test_what_was_discussed_at_an_event_is_not_the_network_s_topics(answerer):
    _, discussed = conversation(answerer, ("ask_city_role", "Wann hat Bochum an der DEFUS-Mitgliederversammlung "
                                           "teilgenommen?", ()),
                                ("ask_purpose", "Was wurde da besprochen?", ()))
    assert discussed.startswith("Zu den Inhalten der DEFUS-Mitgliederversammlung"), discussed
    assert "Themenschwerpunkte" not in discussed
    # What is discussed in the network itself is its topics.
    topics = texts(answerer, Turn("ask_topics", "Was wird bei DEFUS diskutiert?", ("defus",)))
    assert "Themenschwerpunkte" in topics, topics


def test_which_city_joined_last_is_not_known_and_not_about_our_city(answerer):
    reply = texts(answerer, Turn("ask_membership", "Welche Stadt ist als letzte bei Efus eingetreten?", ("efus",),
                                 ranking=("ask_membership",)))
    assert "keine gesicherten Informationen" in reply and "https://efus.eu" in reply, reply
    assert "Bochum" not in reply


def test_what_an_abbreviation_stands_for_is_the_description_not_an_unknown_name(answerer):
    reply = texts(answerer, Turn("ask_purpose", "was heisst efus ausgeschrieben", ("efus",),
                                 ranking=("ask_purpose", "ask_founding")))
    assert "Europäische Forum für urbane Sicherheit" in reply, reply


def test_a_follow_up_the_intent_model_places_elsewhere_is_not_asked_of_the_referent(answerer):
    _, members = conversation(answerer, ("ask_founding", "Wann wurde DEFUS gegründet?", ("defus",)),
                              ("ask_members", "Wie viele Städte sind heute dabei?", ()))
    assert "18 Städte" in members and "Gründung" not in members, members


def test_the_name_of_what_the_facts_mention_without_naming_it_is_not_known(answerer):
    project = texts(answerer, Turn("ask_offers", "Wie hieß das EU-Projekt, in dem der DEFUS-Monitor "
                                   "Sicherheitsgefühl entwickelt wurde?", ("defus",), ranking=("ask_offers",)))
    assert "keine gesicherten Informationen" in project and "Musterbefragung" not in project, project
    manifesto = texts(answerer, Turn("ask_purpose", "Wie heißt das Manifest von Efus?", ("efus",)))
    assert "Security, Democracy and Cities" in manifesto, manifesto


@pytest.mark.parametrize("question, intent", [("Wer war Gilbert Bonnemaison?", "out_of_scope"),
                                              ("Wer ist Bonnemaison?", "nlu_fallback")])
def test_who_someone_the_facts_name_is_what_they_say_of_him(answerer, question, intent):
    reply = texts(answerer, Turn(intent, question, ranking=(intent, "ask_founding")))
    assert "französischen Politikers Gilbert Bonnemaison" in reply and "Quelle" in reply, reply


def test_who_a_network_is_is_not_every_fact_naming_it(answerer):
    reply = texts(answerer, Turn("nlu_fallback", "Wer ist DEFUS?", ranking=("nlu_fallback", "ask_purpose")))
    assert "Bonnemaison" not in reply and reply.count("Quelle") <= 1, reply
