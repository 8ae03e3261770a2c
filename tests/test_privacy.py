from __future__ import annotations

import datetime as dt

import pytest

from assistant.privacy import parse_age, redact


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


def test_ages_are_read_as_days_weeks_months_years():
    assert parse_age("30d") == dt.timedelta(days=30)
    assert parse_age("2w") == dt.timedelta(days=14)
    assert parse_age(" 6m ") == dt.timedelta(days=180)
    with pytest.raises(ValueError):
        parse_age("dreißig Tage")
