"""Property-based: whatever a citizen types, the REST channel answers in German, never with a 5xx."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.servers, pytest.mark.model]

GERMAN = re.compile(r"\b(Sie|Ihre?|ich|und|der|die|das|nicht|Bitte|zu)\b|[äöüß]")
MARKUP = ["<script>alert(1)</script>", "<b>fett</b>", "<img src=x onerror=alert(1)>", "{{7*7}}",
          "'; DROP TABLE events; --", "\x00\x1b[31m", "\u202e\u200b"]

messages = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(categories=["So", "Sk", "Cc", "Cf", "Zs"]), max_size=50),
    st.text(min_size=990, max_size=1500),
    st.lists(st.sampled_from([*MARKUP, "Wann wurde DEFUS gegründet?", "Efus", "Köln", "😀"]),
             min_size=1, max_size=6).map(" ".join),
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(message=messages)
def test_every_input_gets_a_german_answer_and_never_a_server_error(post, message):
    status, body = post({"sender": f"fuzz-{uuid.uuid4().hex[:8]}", "message": message})
    assert status < 500
    if status == 400:
        assert GERMAN.search(body["error"])
        return
    assert status == 200 and body, message
    text = " ".join(item.get("text", "") for item in body)
    assert GERMAN.search(text), (message, text)
    for fragment in ("<script", "<img", "onerror", "DROP TABLE"):
        assert fragment not in text
