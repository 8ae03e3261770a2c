from __future__ import annotations

import pytest

from assistant.understanding.places import country_in


@pytest.mark.parametrize("text, country", [
    ("Ist Österreich bei Efus vertreten?", "Österreich"),
    ("sind auch städte aus polen dabei", "Polen"),
    ("Macht das Vereinigte Königreich mit?", None),  # an inflected name is not matched ...
    ("Ist das Vereinigtes Königreich dabei?", "Vereinigtes Königreich"),  # ... the name itself is
    ("Ist Bochum bei Efus?", None),
    ("Wann wurde Efus in Europa gegründet?", None),  # a region, not a country
])
def test_the_country_a_question_names(text, country):
    assert country_in(text) == country
