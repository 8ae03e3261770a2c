"""Every route of the web app, through aiohttp's test client (pytest-aiohttp).

Search, facts and login need only the knowledge base; the conversation lookup and the bot
preview run against the real Rasa server and tracker store (the session `stack`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pytest

from assistant.web import create_app
from tests.web.conftest import bearer

pytestmark = pytest.mark.asyncio

API = "/api/v1"


# -- pages and assets ----------------------------------------------------------------------------


async def test_health(client):
    reply = await client.get("/health")
    assert reply.status == 200
    body = await reply.json()
    assert body["status"] == "ok" and body["facts"] > 30


async def test_citizen_page_is_german_embeds_the_widget_and_shows_the_snippet(client, offline_settings):
    reply = await client.get("/")
    assert reply.status == 200
    html = await reply.text()
    assert '<html lang="de">' in html
    assert "<h1>Internationale Netzwerke</h1>" in html
    # Embedded exactly as the snippet on the page tells a city web team to do it, at the web
    # app's address from the settings.
    own = offline_settings.widget_base_url
    tag = f'<script src="{own}/widget/v1/widget.js" data-server="{offline_settings.rasa_url}" defer></script>'
    assert tag in html
    assert "&lt;script src=&#34;http://" in html or "&lt;script src=\"http://" in html
    # Nothing from another origin: every script and stylesheet is ours.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert url.startswith("/") or url.startswith(f"{own}/"), url


async def test_agent_page_needs_no_data_to_render_and_asks_for_the_key(client):
    reply = await client.get("/agent")
    assert reply.status == 200
    html = await reply.text()
    assert "Zugangsschlüssel" in html and 'type="password"' in html
    assert reply.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in reply.headers["Content-Security-Policy"]


async def test_widget_script_bundles_socket_io_and_is_embeddable(client):
    reply = await client.get("/widget/v1/widget.js")
    assert reply.status == 200
    assert reply.content_type == "text/javascript"
    script = await reply.text()
    assert "socket.io" in script and "Fragen zu Efus und DEFUS" in script
    assert "sourceMappingURL" not in script
    ours = script.split("var io = module.exports;")[1]
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)[a-z]", ours), "the widget names no other origin"
    assert reply.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    again = await client.get("/widget/v1/widget.js", headers={"If-None-Match": reply.headers["ETag"]})
    assert again.status == 304
    css = await client.get("/widget/v1/widget.css")
    assert css.status == 200 and css.content_type == "text/css"
    assert "@import" not in await css.text()


async def test_widget_states_the_servers_retention_period(aiohttp_client, offline_settings, kb):
    # The privacy note in the widget names the period the server really keeps conversations.
    for days in (30, 7):
        app = create_app(replace(offline_settings, retention_days=days), kb=kb)
        script = await (await (await aiohttp_client(app)).get("/widget/v1/widget.js")).text()
        assert f'var WIDGET_CONFIG = {{"retentionDays": {days}}};' in script


async def test_static_files_are_served(client):
    for path, kind in (("/static/site.css", "text/css"), ("/static/agent.css", "text/css"),
                       ("/static/agent.js", "application/javascript"), ("/static/favicon.svg", "image/svg+xml")):
        reply = await client.get(path)
        assert reply.status == 200, path
        assert reply.content_type in (kind, "text/javascript"), (path, reply.content_type)


async def test_pages_have_a_strict_content_security_policy(client, offline_settings):
    reply = await client.get("/")
    policy = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'none'" in policy
    rasa = offline_settings.rasa_url.removeprefix("http://")
    assert f"connect-src 'self' http://{rasa} ws://{rasa}" in policy
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


async def test_unknown_page_gets_a_german_error_page(client):
    reply = await client.get("/gibt-es-nicht", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status == 404
    html = await reply.text()
    assert "Seite nicht gefunden" in html and '<html lang="de">' in html


async def test_an_unknown_page_asked_for_by_a_client_that_is_no_browser_is_german_json(client):
    reply = await client.get("/gibt-es-nicht", headers={"Accept": "*/*"})
    assert reply.status == 404
    assert await reply.json() == {"error": "Diese Seite gibt es nicht."}


# -- login ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"{API}/session", f"{API}/search?q=efus", f"{API}/facts/efus-seat",
                                  f"{API}/conversations/ACD-EFG"])
async def test_api_refuses_requests_without_a_token(client, path):
    reply = await client.get(path)
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Zugangsschlüssel" in (await reply.json())["error"]


@pytest.mark.parametrize("header", ["Bearer falsch", "Bearer ", "Basic YWdlbnQ6Z2VoZWlt", "falsch"])
async def test_api_refuses_a_wrong_token(client, header):
    reply = await client.get(f"{API}/search?q=efus", headers={"Authorization": header})
    assert reply.status == 401
    assert "results" not in await reply.json()


async def test_preview_refuses_a_wrong_token(client):
    reply = await client.post(f"{API}/preview", json={"text": "Hallo"}, headers={"Authorization": "Bearer falsch"})
    assert reply.status == 401


async def test_session_confirms_a_valid_token(client, offline_settings):
    reply = await client.get(f"{API}/session", headers=bearer(offline_settings))
    assert reply.status == 200


async def test_unknown_api_path_is_a_german_json_404(client, offline_settings):
    reply = await client.get(f"{API}/gibt-es-nicht", headers=bearer(offline_settings))
    assert reply.status == 404
    assert (await reply.json())["error"] == "Diese Seite gibt es nicht."


# -- search and facts ----------------------------------------------------------------------------


@pytest.mark.parametrize("query, expected, words", [
    ("defus gründung", "defus-founding", ["2010"]),
    ("efus länder", "efus-member-count", ["17 europäischen Ländern"]),
    ("mitglieder bochum", "bochum-efus-membership", ["seit 2023"]),
    ("efus sitz", "efus-seat", ["Paris"]),
])
async def test_search_ranks_the_needed_fact_first(client, offline_settings, query, expected, words):
    reply = await client.get(f"{API}/search", params={"q": query}, headers=bearer(offline_settings))
    assert reply.status == 200
    body = await reply.json()
    first = body["results"][0]
    assert first["id"] == expected
    for word in words:
        assert word in first["answer"]


async def test_a_hit_has_answer_value_source_and_date_and_what_to_copy(client, offline_settings):
    reply = await client.get(f"{API}/search", params={"q": "efus länder"}, headers=bearer(offline_settings))
    hit = (await reply.json())["results"][0]
    assert hit["value"] == {"number": 250, "approximate": True, "countries": 17}
    assert hit["sources"][0]["title"] == "Stadt Bochum, Seite „Internationale Netzwerke“"
    assert hit["as_of"] == "2026-11-28" and hit["as_of_text"] == "28.11.2026"
    assert hit["label"] == "Mitgliederzahl und Länder"
    assert hit["copy_text"].startswith(hit["answer"])
    assert "Quelle" in hit["copy_text"] and "Stand: 28.11.2026" in hit["copy_text"]
    assert {"label": "Länder", "text": "17"} in [{k: item[k] for k in ("label", "text")} for item in hit["value_items"]]
    seat = await client.get(f"{API}/search", params={"q": "efus sitz"}, headers=bearer(offline_settings))
    first = (await seat.json())["results"][0]
    assert first["sources"][0]["primary"] is True
    assert first["value_items"] == [{"key": "place", "label": "Ort", "text": "Paris"}]


@pytest.mark.parametrize("query", ["", "   "])
async def test_search_refuses_an_empty_query(client, offline_settings, query):
    reply = await client.get(f"{API}/search", params={"q": query}, headers=bearer(offline_settings))
    assert reply.status == 400
    assert (await reply.json())["error"] == "Bitte geben Sie einen Suchbegriff ein."


async def test_search_without_q_is_an_empty_query(client, offline_settings):
    reply = await client.get(f"{API}/search", headers=bearer(offline_settings))
    assert reply.status == 400


async def test_search_refuses_an_over_long_query(client, offline_settings):
    reply = await client.get(f"{API}/search", params={"q": "efus " * 41}, headers=bearer(offline_settings))
    assert reply.status == 400
    assert "zu lang" in (await reply.json())["error"]


async def test_fact_by_id(client, offline_settings):
    reply = await client.get(f"{API}/facts/defus-founding", headers=bearer(offline_settings))
    assert reply.status == 200
    fact = await reply.json()
    assert fact["answer"] == "DEFUS wurde am 10. Mai 2010 in Berlin gegründet."
    assert fact["value"] == {"date": "2010-05-10", "year": 2010, "place": "Berlin"}
    assert fact["subject"] == {"id": "defus", "name": "DEFUS"}


async def test_unknown_fact_is_404(client, offline_settings):
    reply = await client.get(f"{API}/facts/gibt-es-nicht", headers=bearer(offline_settings))
    assert reply.status == 404
    assert (await reply.json())["error"] == "Diesen Eintrag gibt es in der Wissensbasis nicht."


async def test_unknown_code_is_404_without_any_conversation_store(client, offline_settings):
    reply = await client.get(f"{API}/conversations/ACD-EFG", headers=bearer(offline_settings))
    assert reply.status == 404
    assert "kein Gespräch" in (await reply.json())["error"]


@pytest.mark.parametrize("code", ["ABC", "12345678", "AB-CD-EF-GH"])
async def test_malformed_code_is_400(client, offline_settings, code):
    reply = await client.get(f"{API}/conversations/{code}", headers=bearer(offline_settings))
    assert reply.status == 400
    assert "kein gültiger Gesprächscode" in (await reply.json())["error"]


@pytest.mark.parametrize("body", [{"text": ""}, {"text": "   "}, {"text": 42}, {"message": "Hallo"}, ["Hallo"]])
async def test_preview_refuses_bad_input(client, offline_settings, body):
    reply = await client.post(f"{API}/preview", json=body, headers=bearer(offline_settings))
    assert reply.status == 400
    assert (await reply.json())["error"]


async def test_preview_says_so_when_rasa_is_down(client, offline_settings):
    reply = await client.post(f"{API}/preview", json={"text": "Hallo"}, headers=bearer(offline_settings))
    assert reply.status == 503
    assert "Rasa-Server" in (await reply.json())["error"]


# -- with the real Rasa server -------------------------------------------------------------------


@pytest.mark.servers
@pytest.mark.model
async def test_conversation_by_code_shows_the_transcript(live_client, stack, post):
    sender = f"web-test-{uuid.uuid4().hex[:12]}"
    status, _ = post({"sender": sender, "message": "Wann wurde DEFUS gegründet?"})
    assert status == 200
    status, replies = post({"sender": sender, "message": "Kann ich mit einem Menschen sprechen?"})
    code = re.search(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})", replies[0]["text"]).group(1)

    # Typed as an agent might hear it on the phone: lower case, without the hyphen.
    reply = await live_client.get(f"{API}/conversations/{code.replace('-', '').lower()}",
                                  headers=bearer(stack.settings))
    assert reply.status == 200
    body = await reply.json()
    assert body["code"] == code
    said = [(message["from"], message["text"]) for message in body["messages"]]
    assert ("citizen", "Wann wurde DEFUS gegründet?") in said
    assert any(who == "bot" and "10. Mai 2010" in text for who, text in said)
    assert any(who == "bot" and code in text for who, text in said)
    question = next(message for message in body["messages"] if message["text"] == "Wann wurde DEFUS gegründet?")
    assert question["intent"] == "ask_founding"
    # The sender id is the citizen's key to the conversation: it never reaches the console.
    assert post.ids[sender] not in await reply.text() and post.ids[sender].split(".")[1] not in await reply.text()


@pytest.mark.servers
@pytest.mark.model
async def test_unknown_code_is_404_with_the_real_store(live_client, stack, post):
    post({"sender": f"web-test-{uuid.uuid4().hex[:12]}", "message": "Hallo"})
    reply = await live_client.get(f"{API}/conversations/ACD-EFG", headers=bearer(stack.settings))
    assert reply.status == 404


@pytest.mark.servers
@pytest.mark.model
async def test_preview_shows_intent_entities_and_reply(live_client, stack):
    reply = await live_client.post(f"{API}/preview", json={"text": "Wann wurde DEFUS gegründet?"},
                                   headers=bearer(stack.settings))
    assert reply.status == 200
    body = await reply.json()
    assert body["intent"]["name"] == "ask_founding"
    assert 0.45 < body["intent"]["confidence"] <= 1
    assert {"entity": "network", "value": "defus", "text": "DEFUS"} in body["entities"]
    assert "10. Mai 2010" in body["replies"][0]["text"]


async def test_the_agent_api_is_rate_limited_per_client_with_a_german_429(aiohttp_client, offline_settings, kb):
    app = create_app(replace(offline_settings, agent_rate_limit="3/minute"), kb=kb)
    client = await aiohttp_client(app)
    for _ in range(3):
        assert (await client.get(f"{API}/session", headers=bearer(offline_settings))).status == 200
    # Also without a valid key: nobody can try keys at speed.
    for headers in (bearer(offline_settings), {"Authorization": "Bearer falsch"}):
        reply = await client.get(f"{API}/session", headers=headers)
        assert reply.status == 429
        assert await reply.json() == {"error": "Sie haben zu viele Anfragen gesendet. Bitte warten Sie einen "
                                               "Moment und versuchen Sie es dann erneut."}
