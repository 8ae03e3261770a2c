from __future__ import annotations

import pytest

from assistant.understanding.places import country_in, names


@pytest.mark.parametrize("text, country", [
    ("Ist Österreich bei Efus vertreten?", "Österreich"),
    ("sind auch städte aus polen dabei", "Polen"),
    ("Macht das Vereinigte Königreich mit?", None),  # an inflected name is not matched ...
    ("Ist das Vereinigtes Königreich dabei?", "Vereinigtes Königreich"),  # ... the name itself is
    ("Ist Bochum bei Efus?", None),
    ("Wann wurde Efus in Europa gegründet?", None),  # a region, not a country
    ("Sind französische Kommunen dabei?", "Frankreich"),  # a nationality before a word for members
    ("Gibt es das auf Französisch?", None),  # a language
    ("Sind deutsche Städte dabei?", None),  # the sources list German members
])
def test_the_country_a_question_names(text, country):
    assert country_in(text) == country


def test_a_country_is_named_only_as_a_word_of_its_own():
    assert names("Efus hat nationale Foren in Belgien, Deutschland und Spanien.", "Spanien")
    assert not names("Kommunen und Regionen", "Oman")
