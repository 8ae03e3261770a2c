from __future__ import annotations

import datetime as dt

import pytest

from assistant.privacy import delete_conversations, parse_age, purge_conversations, redact


@pytest.mark.parametrize("text, expected", [
    ("Meine Mail: max.mustermann@example.org bitte", "Meine Mail: [entfernt] bitte"),
    ("Ruf an: 0234 / 910-1234 oder +49 234 9101234", "Ruf an: [entfernt] oder [entfernt]"),
    ("IBAN DE89 3704 0044 0532 0130 00 und DE89370400440532013000", "IBAN [entfernt] und [entfernt]"),
])
def test_personal_data_is_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Wann wurde DEFUS am 10.05.2010 gegründet?",
    "Hat Efus 250 Mitglieder aus 17 Ländern?",
    "Ist die Postleitzahl 44787 in Bochum?",
    "Was war 1987 in Barcelona?",
])
def test_questions_with_numbers_stay_as_they_are(text):
    assert redact(text) == text


# Each example of issue 13 (and its neighbours), as a citizen might type it.
@pytest.mark.parametrize("text, expected", [
    # Phone numbers, by libphonenumber: with area or country code, and local ones without.
    ("Meine Nummer ist 0234 123456.", "Meine Nummer ist [entfernt]."),
    ("Rufen Sie +49 234 123456 an", "Rufen Sie [entfernt] an"),
    ("Erreichbar unter 0176/12345678", "Erreichbar unter [entfernt]"),
    ("Meine Nummer: 123 45 67", "Meine Nummer: [entfernt]"),
    ("123 45 67", "[entfernt]"),
    ("Tel. 9876543", "Tel. [entfernt]"),
    ("Rufnummer 12345", "Rufnummer [entfernt]"),
    # IBAN, by python-stdnum; also a mistyped one that says it is an IBAN.
    ("IBAN DE89 3704 0044 0532 0130 00 und DE89370400440532013000", "IBAN [entfernt] und [entfernt]"),
    ("Meine IBAN: DE12 3456 7890 1234 5678 90", "Meine IBAN: [entfernt]"),
    # Card numbers: Luhn check digit.
    ("Karte 4111 1111 1111 1111 bitte", "Karte [entfernt] bitte"),
    ("4111111111111111", "[entfernt]"),
    ("Karte 4111 1111 1111 1111, Tel. 123 45 67.", "Karte [entfernt], Tel. [entfernt]."),
    ("Amex 3782 822463 10005", "Amex [entfernt]"),
    # German tax ID: stdnum.de.idnr, or named as such (the example fails the check digit).
    ("Steuer-ID 12 345 678 901", "Steuer-ID [entfernt]"),
    ("36 574 261 809", "[entfernt]"),
    ("IdNr: 36574261809, danke.", "IdNr: [entfernt], danke."),
    ("Meine Steueridentifikationsnummer ist 36574261809", "Meine Steueridentifikationsnummer ist [entfernt]"),
    ("Steuernummer 5133081508159", "Steuernummer [entfernt]"),
    # ID card and passport numbers (no stdnum module): ICAO 9303 check digit, shape, or named.
    ("Ausweisnummer L01X00T47", "Ausweisnummer [entfernt]"),
    ("Mein Ausweis T22000129", "Mein Ausweis [entfernt]"),
    ("T220001293", "[entfernt]"),
    ("Personalausweis: LZ6311T47", "Personalausweis: [entfernt]"),
    # Social and health insurance numbers, by their check digits.
    ("SV-Nummer 15 070649 C 103", "SV-Nummer [entfernt]"),
    ("15070649C103", "[entfernt]"),
    ("Versichertennummer A123456780", "Versichertennummer [entfernt]"),
    # E-mail, also written around spam filters.
    ("Meine Mail: max.mustermann@example.org bitte", "Meine Mail: [entfernt] bitte"),
    ("max (at) example (dot) de", "[entfernt]"),
    ("Schreiben Sie an max[at]example.de!", "Schreiben Sie an [entfernt]!"),
    ("max at example dot de", "[entfernt]"),
    ("erika (ät) example (punkt) de", "[entfernt]"),
    ("max @ example.de", "[entfernt]"),
    # Dates of birth: a date after or before a word for birth.
    ("Ich bin geboren am 03.04.1985.", "Ich bin geboren am [entfernt]."),
    ("Geburtsdatum: 3. April 1985", "Geburtsdatum: [entfernt]"),
    ("geb. 03.04.85", "geb. [entfernt]"),
    ("Ich bin am 3.4.1985 in Bochum geboren.", "Ich bin am [entfernt] in Bochum geboren."),
    # Never half a number: a number glued to letters goes with them.
    ("Kundennummer A1234567", "Kundennummer [entfernt]"),
])
def test_personal_data_found_by_validators_is_replaced(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected


@pytest.mark.parametrize("text", [
    "Wann wurde Efus 1987 gegründet?",
    "DEFUS hat 18 Städte und 2 Organisationen als Mitglieder.",
    "Wurde DEFUS am 10. Mai 2010 gegründet?",
    "Ist Bochum seit 2023 dabei?",
    "Gilt das für 250 Mitglieder?",
    "Ist Efus in 17 Ländern mit 250 Städten seit 1987 aktiv?",
    "Von 1987 bis 2010, also 1987-2010, oder 2010/11?",
    "Wer war am 10.05.2010 bis 12.05.2010 dabei?",
    "Hat Efus 1.000.000 Euro Budget? Bochum hat 365.000 Einwohner.",
    "Sitz: 10-12 rue des Colonnes, 75002 Paris",
    "Willy-Brandt-Platz 2-6, 44777 Bochum",
    "Ist 0234 die Vorwahl von Bochum?",
    "Die Konferenz 2024 hatte 1200 Teilnehmer, Stand 01/2024, um 10:30 Uhr am 3.5.2024.",
    "Efus wurde 1987 gegründet, DEFUS 2010: 23 Jahre später?",
    "Gilt § 34 SGB VIII auch im EU-Projekt H2020 von 2021-2027?",
    "Who works at efus.eu? I am at home.",
    "Wann hat DEFUS Geburtstag?",
    "Wie fördert Efus die Mobilität 2030?",
])
def test_ordinary_questions_with_years_and_numbers_are_untouched(text):
    assert redact(text) == text


def test_icao_check_digit_of_the_specimen_id_card():
    from assistant.redaction import icao_check_digit

    # The Federal Ministry of the Interior's specimen card (Erika Mustermann): T22000129, MRZ digit 3.
    assert icao_check_digit("T22000129") == 3


def test_ages_are_read_as_days_weeks_months_years():
    assert parse_age("30d") == dt.timedelta(days=30)
    assert parse_age("2w") == dt.timedelta(days=14)
    assert parse_age(" 6m ") == dt.timedelta(days=180)
    with pytest.raises(ValueError):
        parse_age("dreißig Tage")


# -- deleting conversations: one function for `assistant purge`, the hourly purge and the widget --


def rasa_store(path):
    """Rasa's own SQL tracker store on a fresh SQLite file: the real table and event format."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))


async def store_conversation(store, sender_id, *turns):
    """Save a conversation: each turn a question, or (question, timestamp), and its answer."""
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender_id, slots=[])
    for turn in turns:
        text, at = turn if isinstance(turn, tuple) else (turn, None)
        tracker.update(UserUttered(text, timestamp=at))
        tracker.update(BotUttered(f"Antwort auf {text}", timestamp=at))
    await store.save(tracker)


def stored_senders(store):
    import sqlalchemy as sa

    with store.engine.connect() as connection:
        return {row[0]: row[1] for row in connection.execute(
            sa.text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))}


@pytest.mark.asyncio
async def test_deleting_a_conversation_removes_all_its_events_and_nothing_else(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "citizen-a", "Was ist Efus?", "Und DEFUS?")
    await store_conversation(store, "citizen-b", "Wann wurde DEFUS gegründet?")

    with store.session_scope() as session:
        deleted = delete_conversations(session, ["citizen-a"])
        session.commit()

    assert deleted == 4
    assert stored_senders(store) == {"citizen-b": 2}
    assert await store.retrieve("citizen-a") is None
    assert [event.text for event in (await store.retrieve("citizen-b")).events][:1] == ["Wann wurde DEFUS gegründet?"]


@pytest.mark.asyncio
async def test_deleting_an_unknown_or_no_conversation_deletes_nothing(tmp_path):
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "citizen-a", "Was ist Efus?")
    with store.session_scope() as session:
        assert delete_conversations(session, ["niemand", "citizen-a'; DROP TABLE events; --"]) == 0
        assert delete_conversations(session, []) == 0
        session.commit()
    assert stored_senders(store) == {"citizen-a": 2}


@pytest.mark.asyncio
async def test_purge_deletes_conversations_whose_latest_event_is_older_than_the_period(tmp_path):
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
    days_ago = lambda days: (now - dt.timedelta(days=days)).timestamp()  # noqa: E731
    store = rasa_store(tmp_path / "tracker.db")
    await store_conversation(store, "old", ("Was ist Efus?", days_ago(31)))
    await store_conversation(store, "old-but-active", ("Was ist Efus?", days_ago(40)), ("Und DEFUS?", days_ago(2)))
    await store_conversation(store, "recent", ("Was ist DEFUS?", days_ago(29)))

    # The same function and SQL through the CLI's own engine (`assistant purge`).
    assert purge_conversations(f"sqlite:///{tmp_path / 'tracker.db'}", dt.timedelta(days=30), now=now) == 1
    assert set(stored_senders(store)) == {"old-but-active", "recent"}
