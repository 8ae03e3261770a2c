"""The socket.io channel against the real Rasa server, with python-socketio's AsyncClient.

The Python client speaks long-polling here: its WebSocket transport needs aiohttp >= 3.11, and
Rasa 3.6 pins 3.9. The browser tests (test_browser.py) cover the WebSocket upgrade.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import urllib.request
import uuid
from typing import Any

import limits
import pytest
import pytest_asyncio
import socketio

from assistant.input_guard import EMPTY_MESSAGE, NOT_A_TEXT, only_last_question, too_long
from assistant.rate_limits import TOO_MANY_RATINGS
from assistant.stack import Stack
from tests.web.conftest import bearer

pytestmark = [pytest.mark.asyncio, pytest.mark.servers, pytest.mark.model]

SESSION_ID = re.compile(r"[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22}")
REPLY_TIMEOUT = 60


class Citizen:
    """One browser tab's socket, as the widget uses it."""

    def __init__(self, stack: Stack, origin: str | None = None) -> None:
        self.url = stack.settings.rasa_url
        self.origin = origin if origin is not None else stack.settings.web_url
        self.client = socketio.AsyncClient(reconnection=False)
        self.replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sessions: asyncio.Queue[str] = asyncio.Queue()
        self.feedback: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.client.on("bot_uttered", self.replies.put_nowait)
        self.client.on("session_confirm", self.sessions.put_nowait)
        self.client.on("feedback_confirm", self.feedback.put_nowait)

    async def connect(self, auth: dict[str, Any] | None = None) -> Citizen:
        headers = {"Origin": self.origin} if self.origin else {}
        await self.client.connect(self.url, headers=headers, transports=["polling"],
                                  socketio_path="/socket.io", auth=auth, wait_timeout=20)
        return self

    async def session(self, requested: Any = None) -> str:
        await self.client.emit("session_request", {"session_id": requested})
        return await asyncio.wait_for(self.sessions.get(), 20)

    async def ask(self, text: Any, **extra: Any) -> str:
        await self.client.emit("user_uttered", {"message": text, **extra})
        return (await asyncio.wait_for(self.replies.get(), REPLY_TIMEOUT))["text"]

    async def silence(self, seconds: float) -> list[dict[str, Any]]:
        """Everything that arrives within `seconds` (expected: nothing)."""
        await asyncio.sleep(seconds)
        arrived = []
        while not self.replies.empty():
            arrived.append(self.replies.get_nowait())
        return arrived

    async def close(self) -> None:
        """Leave like a closed tab: without waiting up to 25 s for the pending long-poll."""
        if not self.client.connected:
            return
        eio = self.client.eio
        tasks = [task for task in (eio.read_loop_task, eio.write_loop_task) if task]
        for namespace in self.client.namespaces:
            await self.client._send_packet(self.client.packet_class(socketio.packet.DISCONNECT, namespace=namespace))
        await eio.disconnect(abort=True)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if eio.http and not eio.external_http:
            await eio.http.close()


@pytest_asyncio.fixture()
async def citizens(stack: Stack):
    opened: list[Citizen] = []

    async def open_one(origin: str | None = None, auth: dict[str, Any] | None = None) -> Citizen:
        citizen = Citizen(stack, origin)
        opened.append(citizen)
        return await citizen.connect(auth)

    yield open_one
    for citizen in opened:
        await citizen.close()


async def test_replies_arrive_with_session_persistence(citizens):
    citizen = await citizens()
    session_id = await citizen.session()
    assert SESSION_ID.fullmatch(session_id)
    reply = await citizen.ask("Wann wurde DEFUS gegründet?", session_id=session_id)
    # One message per answer, paragraphs and sources included (stock Rasa splits them).
    assert "10. Mai 2010" in reply and "\n\nQuelle" in reply


def cited(sources: list[dict[str, Any]]) -> str:
    """The plain-text footer line these sources make ("Quellen: title, url; title")."""
    label = "Quelle" if len(sources) == 1 else "Quellen"
    return f"{label}: " + "; ".join(f"{source['title']}, {source['url']}" if source["url"] else source["title"]
                                    for source in sources)


async def test_an_answer_brings_its_sources_as_data_in_the_same_message(citizens):
    citizen = await citizens()
    await citizen.session()
    await citizen.client.emit("user_uttered", {"message": "Welche Themen hat DEFUS?"})
    reply = await asyncio.wait_for(citizen.replies.get(), REPLY_TIMEOUT)
    assert "Sicherheit im öffentlichen Raum" in reply["text"]
    sources = reply["sources"]
    assert sources and all(set(source) == {"title", "url"} for source in sources), sources
    assert any(source["url"] for source in sources) and any(not source["url"] for source in sources), sources
    # The text keeps its plain footer, which names exactly these sources; nothing else arrives.
    assert f"\n\n{cited(sources)}" in reply["text"], reply
    assert await citizen.silence(2) == []
    # A reply without a footer (here a new conversation's question back) has no sources.
    other = await citizens()
    await other.session()
    await other.client.emit("user_uttered", {"message": "Wann wurde es gegründet?"})
    clarification = await asyncio.wait_for(other.replies.get(), REPLY_TIMEOUT)
    assert "sources" not in clarification and clarification["quick_replies"]


async def test_the_rest_reply_keeps_its_plain_footer_and_no_sources_message(citizens, post):
    citizen = await citizens()
    await citizen.session()
    await citizen.client.emit("user_uttered", {"message": "Welche Themen hat DEFUS?"})
    widget_reply = await asyncio.wait_for(citizen.replies.get(), REPLY_TIMEOUT)
    sender = f"rest-{uuid.uuid4().hex[:12]}"
    status, replies = await asyncio.to_thread(post, {"sender": sender, "message": "Welche Themen hat DEFUS?"})
    assert status == 200
    # As before the widget got structured sources: text messages only (Rasa's REST channel sends
    # each paragraph as one), the last one the footer in plain text with the addresses, and no
    # message of its own for the sources.
    assert replies == [{"recipient_id": post.ids[sender], "text": part} for part in widget_reply["text"].split("\n\n")]
    footer = replies[-1]["text"].split("\nStand: ")[0]
    assert footer == cited(widget_reply["sources"]) and "http" in footer, replies


async def test_a_new_socket_with_the_issued_id_continues_the_conversation(citizens):
    first = await citizens()
    session_id = await first.session()
    assert "10. Mai 2010" in await first.ask("Wann wurde DEFUS gegründet?")
    await first.close()

    # The page was reloaded: the widget sends its stored id along with the connection, and a
    # message it sends at once (before any session_request) belongs to the same conversation:
    # "es" can only mean DEFUS there.
    second = await citizens(auth={"session_id": session_id})
    assert "18 Städte und 2 Organisationen" in await second.ask("Und wie viele Mitglieder hat es?")
    assert await second.session(session_id) == session_id


async def test_another_socket_cannot_join_or_write_into_a_conversation(citizens):
    owner = await citizens()
    owner_session = await owner.session()
    intruder = await citizens()

    # The owner's socket id, a made-up id and a forged signature all give the intruder a new,
    # empty session of its own.
    nonce = owner_session.split(".")[0]
    for guess in (owner.client.get_sid(), "demo", nonce, f"{nonce}.{'A' * 22}", owner_session.upper()):
        assert await intruder.session(guess) not in (owner_session, guess)

    # A session id inside a message is ignored: this lands in the intruder's own conversation.
    reply = await intruder.ask("Und wie viele Mitglieder hat es?", session_id=owner_session)
    assert "18 Städte" not in reply
    assert await owner.silence(2) == []

    # The owner's answers reach the owner only.
    assert "10. Mai 2010" in await owner.ask("Wann wurde DEFUS gegründet?")
    assert await intruder.silence(3) == []


@pytest.mark.parametrize("requested", [None, "", 42, {"id": 1}, "../../etc/passwd", "x" * 5000,
                                       uuid.uuid4().hex, "<script>alert(1)</script>"],
                         ids=["none", "empty", "number", "object", "path", "huge", "uuid", "markup"])
async def test_a_malformed_id_starts_a_new_session(citizens, requested):
    citizen = await citizens()
    session_id = await citizen.session(requested)
    assert SESSION_ID.fullmatch(session_id) and session_id != requested


async def test_a_malformed_id_at_connection_starts_a_new_session(citizens):
    citizen = await citizens(auth={"session_id": "nicht-von-uns"})
    session_id = await citizen.session()
    assert SESSION_ID.fullmatch(session_id)


async def test_a_message_before_any_session_request_gets_a_session_and_an_answer(citizens):
    citizen = await citizens()
    reply = await citizen.ask("Wann wurde DEFUS gegründet?")
    assert "10. Mai 2010" in reply
    assert SESSION_ID.fullmatch(citizen.sessions.get_nowait())


@pytest.mark.parametrize("message, expected", [
    ("", EMPTY_MESSAGE),
    ("   \u200b ", EMPTY_MESSAGE),
    ("a" * 1500, None),
    (42, NOT_A_TEXT),
    (None, NOT_A_TEXT),
])
async def test_bad_input_gets_the_german_prompt(citizens, stack, message, expected):
    citizen = await citizens()
    await citizen.session()
    reply = await citizen.ask(message)
    assert reply == (expected or too_long(stack.settings.max_message_chars))


async def test_a_long_story_gets_a_notice_then_the_answer_to_its_last_question(citizens, stack):
    citizen = await citizens()
    await citizen.session()
    story = "Ich habe in der Zeitung von den Sicherheitsnetzwerken der Stadt gelesen. " * 20
    assert await citizen.ask(story + "Wann wurde DEFUS gegründet?") == only_last_question(
        stack.settings.max_message_chars)
    answer = (await asyncio.wait_for(citizen.replies.get(), REPLY_TIMEOUT))["text"]
    assert "2010" in answer and "Quelle" in answer, answer


async def test_only_configured_origins_may_connect(stack: Stack):
    stranger = Citizen(stack, origin="https://evil.example")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await stranger.connect()
    assert not stranger.client.connected


async def test_feedback_is_stored_with_the_conversation(citizens, stack):
    citizen = await citizens()
    session_id = await citizen.session()
    answer = await citizen.ask("Wann wurde DEFUS gegründet?")
    await citizen.client.emit("feedback", {"text": answer, "rating": "down"})
    assert (await asyncio.wait_for(citizen.feedback.get(), 20))["stored"] is True
    # Only answers the bot really gave in this conversation can be rated.
    await citizen.client.emit("feedback", {"text": "Das hat der Bot nie gesagt.", "rating": "up"})
    assert (await asyncio.wait_for(citizen.feedback.get(), 20))["stored"] is False

    with sqlite3.connect(stack.settings.var_dir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'agent'",
                          (session_id,)).fetchall()
    feedback = [json.loads(data)["data"]["feedback"] for (data,) in rows]
    assert feedback == [{"rating": "negative", "bot_text": answer, "bot_timestamp": feedback[0]["bot_timestamp"]}]


async def confirmations(citizen: Citizen, count: int) -> list[dict[str, Any]]:
    return [await asyncio.wait_for(citizen.feedback.get(), 60) for _ in range(count)]


def stored_ratings(stack: Stack, sender_id: str) -> list[dict[str, Any]]:
    with sqlite3.connect(stack.settings.var_dir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'agent'",
                          (sender_id,)).fetchall()
    return [json.loads(data)["data"]["feedback"] for (data,) in rows]


async def test_a_flood_of_ratings_of_one_answer_leaves_one_rating_the_latest(citizens, live_client, stack):
    citizen = await citizens()
    session_id = await citizen.session()
    answer = await citizen.ask("Wann wurde DEFUS gegründet?")
    before = await saved_events(stack, session_id)

    replies = []
    # In batches: long-polling sends what is queued in one request, and engine.io takes at most
    # 16 packets per request.
    for _ in range(50):
        for number in range(10):
            await citizen.client.emit("feedback", {"text": answer, "rating": ("up", "down")[number % 2]})
        replies += await confirmations(citizen, 10)
    allowed = limits.parse(stack.settings.rating_limit).amount
    assert sum(reply["stored"] for reply in replies) == allowed
    refused = [reply for reply in replies if not reply["stored"]]
    assert len(refused) == 500 - allowed
    assert {reply.get("error") for reply in refused} == {TOO_MANY_RATINGS}
    assert len(stored_ratings(stack, session_id)) == 1
    assert stored_events(stack, session_id) == before + 1

    # The limit is per socket: the same citizen in a new tab may still rate, and the latest
    # rating replaces the stored one.
    tab = await citizens(auth={"session_id": session_id})
    await tab.client.emit("feedback", {"text": answer, "rating": "up"})
    assert (await confirmations(tab, 1))[0]["stored"] is True
    assert [rating["rating"] for rating in stored_ratings(stack, session_id)] == ["positive"]
    assert stored_events(stack, session_id) == before + 1

    handoff = await tab.ask("Ich möchte mit einem Menschen sprechen")
    code = re.search(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})", handoff).group(1)
    reply = await looked_up(live_client, stack, code)
    assert reply.status == 200
    rated = [message for message in (await reply.json())["messages"] if message["text"] == answer]
    assert [message["feedback"] for message in rated] == ["positive"]


def preflight(stack: Stack, origin: str) -> dict[str, str]:
    request = urllib.request.Request(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook", method="OPTIONS",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        return dict(reply.headers)


async def test_rest_channel_allows_only_configured_origins(stack: Stack):
    allowed = preflight(stack, stack.settings.web_url)
    assert allowed.get("Access-Control-Allow-Origin") == stack.settings.web_url
    assert "Access-Control-Allow-Origin" not in preflight(stack, "https://evil.example")


# -- „Gespräch löschen“ ------------------------------------------------------------------------------


def stored_events(stack: Stack, sender_id: str) -> int:
    with sqlite3.connect(stack.settings.var_dir / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)).fetchone()[0]


async def saved_events(stack: Stack, sender_id: str, timeout: float = 20) -> int:
    """The events of a conversation once its turn is saved: Rasa sends the reply first."""
    for _ in range(int(timeout * 10)):
        if count := stored_events(stack, sender_id):
            return count
        await asyncio.sleep(0.1)
    return 0


async def looked_up(live_client: Any, stack: Stack, code: str, timeout: float = 10) -> Any:
    """The agent's lookup of a handoff code, as an agent types it seconds after the citizen reads it.

    Rasa sends the reply with the code before it saves the turn, so a lookup in the same
    millisecond may not find it yet.
    """
    for _ in range(int(timeout * 10)):
        reply = await live_client.get(f"/api/v1/conversations/{code}", headers=bearer(stack.settings))
        if reply.status != 404:
            return reply
        await asyncio.sleep(0.1)
    return reply


async def delete_conversation(citizen: Citizen, **data: Any) -> dict[str, Any]:
    """What the widget's „Ja, löschen“ sends; the reply is the socket.io acknowledgement."""
    return await citizen.client.call("delete_conversation", data, timeout=30)


async def test_a_citizen_deletes_their_own_conversation_and_nobody_elses(citizens, stack):
    owner = await citizens()
    owner_session = await owner.session()
    assert "10. Mai 2010" in await owner.ask("Wann wurde DEFUS gegründet?")
    other = await citizens()
    other_session = await other.session()
    assert "Europäische Forum für urbane Sicherheit" in await other.ask("Was ist Efus?")
    owner_events, other_events = await saved_events(stack, owner_session), await saved_events(stack, other_session)
    assert owner_events > 0 and other_events > 0

    # Sockets with a forged or foreign id, naming the owner's conversation in the request: each
    # deletes only a new, empty conversation of its own.
    nonce = owner_session.split(".")[0]
    for forged in (f"{nonce}.{'A' * 22}", owner_session.upper(), owner.client.get_sid(), nonce):
        intruder = await citizens(auth={"session_id": forged})
        reply = await delete_conversation(intruder, session_id=owner_session)
        assert reply["deleted"] is True and reply["session_id"] not in (owner_session, forged)
    assert stored_events(stack, owner_session) == owner_events

    reply = await delete_conversation(owner)
    assert reply["deleted"] is True
    fresh_session = reply["session_id"]
    assert SESSION_ID.fullmatch(fresh_session) and fresh_session != owner_session
    assert stored_events(stack, owner_session) == 0
    assert stored_events(stack, other_session) == other_events

    # The socket goes on in a fresh conversation that knows nothing of the old one ("es" was
    # DEFUS there), and nothing is written back under the old id.
    assert "18 Städte" not in await owner.ask("Und wie viele Mitglieder hat es?")
    assert await saved_events(stack, fresh_session) > 0
    assert stored_events(stack, owner_session) == 0
    # The other conversation goes on as before: "es" is still Efus.
    assert "1987" in await other.ask("Und wann wurde es gegründet?")

    # Logged once, by the nonce only (not the key to the conversation), without any content.
    log = (stack.log_dir / "rasa.log").read_text(encoding="utf-8")
    logged = [line for line in log.splitlines() if nonce in line]
    assert len(logged) == 1 and "deleted at the citizen's request" in logged[0]
    assert owner_session not in log and "DEFUS" not in logged[0]
    # The same server deletes old conversations by itself.
    assert f"conversations idle for more than {stack.settings.retention_days} days are deleted" in log


# -- hardening, second round ---------------------------------------------------------------------------


async def settled_events(stack: Stack, sender_id: str, timeout: float = 20) -> int:
    """The number of stored events once the conversation's last turn is saved."""
    count = await saved_events(stack, sender_id, timeout)
    for _ in range(int(timeout * 2)):
        await asyncio.sleep(0.5)
        if (now := stored_events(stack, sender_id)) == count:
            return count
        count = now
    return count


async def test_a_socketio_session_id_takes_over_no_conversation_over_rest(citizens, post, stack):
    victim = await citizens()
    victim_session = await victim.session()
    assert "10. Mai 2010" in await victim.ask("Wann wurde DEFUS gegründet?")
    code = re.search(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})",
                     await victim.ask("Ich möchte mit einem Menschen sprechen")).group(1)
    before = await settled_events(stack, victim_session)

    for message in ("Und wie viele Mitglieder hat es?", "Ich möchte mit einem Menschen sprechen"):
        status, replies = await asyncio.to_thread(post, {"sender": victim_session, "message": message}, as_is=True)
        text = "\n".join(reply.get("text", "") for reply in replies)
        assert status == 200 and {reply["recipient_id"] for reply in replies} != {victim_session}, replies
        assert "18 Städte" not in text and code not in text, text
    # Nothing reached the victim's widget or transcript.
    assert await victim.silence(2) == []
    assert stored_events(stack, victim_session) == before


async def test_a_message_over_the_request_limit_over_long_polling_gets_a_german_reply(citizens, stack):
    """Sanic refuses a polling request over 64 KB before anyone reads it; the citizen is told
    in German instead of hearing nothing."""
    citizen = await citizens()
    await citizen.session()
    story = "Ich erzähle Ihnen etwas. " * 3000  # 75,000 characters
    await citizen.client.emit("user_uttered", {"message": story + "Wann wurde DEFUS gegründet?"})
    reply = await asyncio.wait_for(citizen.replies.get(), REPLY_TIMEOUT)
    assert reply["text"] == too_long(stack.settings.max_message_chars)


def polling(stack: Stack) -> Any:
    """A raw engine.io long-polling connection (to send what no socket.io client would)."""
    base = f"{stack.settings.rasa_url}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": stack.settings.web_url, "Content-Type": "text/plain;charset=UTF-8"}

    def request(url: str, data: bytes | None = None) -> str:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=30) as reply:
            return reply.read().decode()

    url = f"{base}&sid={json.loads(request(base)[1:])['sid']}"
    request(url, b"40")
    assert request(url).startswith("40")
    return lambda packet: request(url, packet.encode())


async def test_malformed_packets_are_dropped_with_one_log_line_each(citizens, stack):
    log_file = stack.log_dir / "rasa.log"
    start = log_file.stat().st_size
    send = await asyncio.to_thread(polling, stack)
    for packet in ("42[not json", '42{"an": "object"}', "9nonsense"):
        assert await asyncio.to_thread(send, packet) == "OK"  # engine.io accepts the request itself
    # The server goes on serving.
    citizen = await citizens()
    await citizen.session()
    assert "10. Mai 2010" in await citizen.ask("Wann wurde DEFUS gegründet?")
    with log_file.open("rb") as log:
        log.seek(start)
        written = log.read().decode("utf-8", "replace")
    assert "Traceback" not in written, written
    assert written.count("Dropped a malformed socket.io packet") == 2, written
    assert written.count("post request handler error (IndexError") == 1, written


async def test_the_widgets_greeting_and_its_suggestions_keep_working(citizens):
    citizen = await citizens()
    await citizen.session()
    await citizen.client.emit("user_uttered", {"message": "/greet", "metadata": {"widget": "opened"}})
    greeting = await asyncio.wait_for(citizen.replies.get(), REPLY_TIMEOUT)
    assert greeting["text"].startswith("Guten Tag!")
    choice = next(choice for choice in greeting["quick_replies"] if choice["title"] == "Wann wurde DEFUS gegründet?")
    assert "10. Mai 2010" in await citizen.ask(choice["payload"], metadata={"button_title": choice["title"]})
    # Not offered any more, the same payload typed is only text, and still gets a German reply.
    assert "Entschuldigung" not in await citizen.ask(choice["payload"])


async def test_metadata_never_hides_a_message_from_the_agent(citizens, live_client, stack):
    citizen = await citizens()
    await citizen.session()
    assert (await citizen.ask("/greet", metadata={"widget": "opened"})).startswith("Guten Tag!")
    # A button title the bot never offered does not stand in for what the citizen wrote.
    assert "2010" in await citizen.ask("Wann wurde DEFUS gegründet?", metadata={"button_title": "Danke"})
    handoff = await citizen.ask("Ich möchte mit einem Menschen sprechen", metadata={"widget": "opened"})
    code = re.search(r"Gesprächscode: ([A-Z0-9]{3}-[A-Z0-9]{3})", handoff).group(1)
    reply = await looked_up(live_client, stack, code)
    assert reply.status == 200
    said = [(message["from"], message["text"]) for message in (await reply.json())["messages"]]
    # The widget's own opening stays a note; the citizen's words are shown as theirs.
    assert said[0] == ("system", "Chat geöffnet")
    assert ("citizen", "Ich möchte mit einem Menschen sprechen") in said
    assert ("citizen", "Wann wurde DEFUS gegründet?") in said and ("citizen", "Danke") not in said
