"""Request handlers: the two pages, the widget assets, the health check and the agents' JSON API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from assistant.answering import facts_text, format_date
from assistant.input_guard import check_text
from assistant.knowledge import Fact, KnowledgeBase, Source
from assistant.web import keys
from assistant.web.conversations import parse_code, transcript
from assistant.web.rasa_api import RasaUnavailable
from assistant.web.search import MAX_QUERY_CHARS, label
from assistant.web.widget import Asset

EMPTY_QUERY = "Bitte geben Sie einen Suchbegriff ein."
LONG_QUERY = f"Der Suchbegriff ist zu lang. Bitte verwenden Sie höchstens {MAX_QUERY_CHARS} Zeichen."
UNKNOWN_FACT = "Diesen Eintrag gibt es in der Wissensbasis nicht."
BAD_CODE = ("Das ist kein gültiger Gesprächscode. Ein Code hat sechs Zeichen, zum Beispiel "
            "„K7P-4QX“.")
UNKNOWN_CODE = ("Zu diesem Gesprächscode gibt es kein Gespräch. Bitte lassen Sie sich den Code noch "
                "einmal nennen.")
NOT_JSON = "Bitte senden Sie ein JSON-Objekt mit dem Feld „text“."
RASA_DOWN = ("Der Rasa-Server antwortet gerade nicht. Bitte versuchen Sie es in einem Moment noch "
             "einmal.")


def error(status: type[web.HTTPError], message: str) -> web.HTTPError:
    return status(text=web_json({"error": message}), content_type="application/json")


def web_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- pages ---------------------------------------------------------------------------------------


@aiohttp_jinja2.template("index.html")
async def citizen_page(request: web.Request) -> dict[str, Any]:
    settings = request.app[keys.SETTINGS]
    return {
        # From settings, never from the request's Host header (which any client sets).
        "script_url": f"{settings.widget_base_url}/widget/v1/widget.js",
        "socket_url": settings.socket_url,
        "allowed_origins": settings.origins,
    }


@aiohttp_jinja2.template("agent.html")
async def agent_page(request: web.Request) -> dict[str, Any]:
    return {"max_query_chars": MAX_QUERY_CHARS,
            "max_message_chars": request.app[keys.SETTINGS].max_message_chars}


def _asset(request: web.Request, asset: Asset) -> web.Response:
    if request.headers.get("If-None-Match") == asset.etag:
        return web.Response(status=304, headers={"ETag": asset.etag})
    return web.Response(body=asset.body, content_type=asset.content_type, charset="utf-8",
                        headers={"ETag": asset.etag, "Cache-Control": "public, max-age=300"})


async def widget_script(request: web.Request) -> web.Response:
    return _asset(request, request.app[keys.WIDGET].script)


async def widget_stylesheet(request: web.Request) -> web.Response:
    return _asset(request, request.app[keys.WIDGET].stylesheet)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "facts": len(request.app[keys.KNOWLEDGE].facts)})


# -- API -----------------------------------------------------------------------------------------


def source_json(source: Source) -> dict[str, Any]:
    return {"id": source.id, "title": source.title, "url": source.url, "file": source.file,
            "primary": source.primary, "checked": source.checked.isoformat()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# German names of the structured values in the knowledge base (schema.yml), for the console.
VALUE_LABELS = {
    "year": "Jahr", "date": "Datum", "place": "Ort", "number": "Anzahl", "approximate": "ungefähr",
    "countries": "Länder", "cities": "Städte", "organisations": "Organisationen", "list": "Liste",
    "url": "Adresse", "since": "seit", "complete": "Liste vollständig",
}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dict):
        name = str(value.get("name", ""))
        return f"{name} (seit {value['since']})" if "since" in value else name or json.dumps(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(item) for item in value)
    return str(value)


def value_items(value: dict[str, Any]) -> list[dict[str, str]]:
    """The structured value as German label/text pairs ("Ort": "Paris")."""
    return [{"key": key, "label": VALUE_LABELS.get(key, key), "text": _value_text(item)}
            for key, item in value.items()]


def fact_json(kb: KnowledgeBase, fact: Fact) -> dict[str, Any]:
    subject = kb.subjects.get(fact.subject)
    return {
        "id": fact.id,
        "subject": {"id": fact.subject, "name": subject.name if subject else fact.subject},
        "network": fact.network,
        "attribute": fact.attribute,
        "label": label(fact.attribute),
        "answer": fact.answer,
        "value": _plain(fact.value),
        "value_items": value_items(fact.value),
        "note": fact.note,
        "sources": [source_json(source) for source in fact.sources],
        "note_sources": [source_json(source) for source in fact.note_sources],
        "as_of": fact.as_of.isoformat() if fact.as_of else None,
        "as_of_text": format_date(fact.as_of) if fact.as_of else None,
        "primary": fact.is_primary,
        # Exactly what the bot says for this fact, with "Quelle: …" and "Stand: …".
        "copy_text": facts_text([fact]),
    }


async def api_session(request: web.Request) -> web.Response:
    """Lets the console check an access key at login (the middleware has checked it)."""
    return web.json_response({"status": "ok"})


async def api_search(request: web.Request) -> web.Response:
    query = request.query.get("q", "")
    if not query.strip():
        raise error(web.HTTPBadRequest, EMPTY_QUERY)
    if len(query) > MAX_QUERY_CHARS:
        raise error(web.HTTPBadRequest, LONG_QUERY)
    kb = request.app[keys.KNOWLEDGE]
    hits = request.app[keys.INDEX].search(query)
    results = [{**fact_json(kb, hit.fact), "score": hit.score} for hit in hits]
    return web.json_response({"query": query, "count": len(results), "results": results},
                             dumps=web_json)


async def api_fact(request: web.Request) -> web.Response:
    kb = request.app[keys.KNOWLEDGE]
    fact = kb.fact(request.match_info["fact_id"])
    if fact is None:
        raise error(web.HTTPNotFound, UNKNOWN_FACT)
    return web.json_response(fact_json(kb, fact), dumps=web_json)


async def api_conversation(request: web.Request) -> web.Response:
    code = parse_code(request.match_info["code"])
    if code is None:
        raise error(web.HTTPBadRequest, BAD_CODE)
    sender = await request.app[keys.CONVERSATIONS].sender_for(code)
    if sender is None:
        raise error(web.HTTPNotFound, UNKNOWN_CODE)
    try:
        tracker = await request.app[keys.RASA].tracker(sender)
    except RasaUnavailable as problem:
        raise error(web.HTTPServiceUnavailable, RASA_DOWN) from problem
    if tracker is None:
        raise error(web.HTTPNotFound, UNKNOWN_CODE)
    return web.json_response(transcript(code, tracker), dumps=web_json)


async def api_preview(request: web.Request) -> web.Response:
    """What the bot would understand and answer: NLU result and replies of a fresh conversation."""
    try:
        payload = await request.json()
    except ValueError:
        payload = None
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str):
        raise error(web.HTTPBadRequest, NOT_JSON)
    checked = check_text("agent-console", text, request.app[keys.SETTINGS].max_message_chars)
    if checked.problem or checked.text is None:
        raise error(web.HTTPBadRequest, checked.problem or NOT_JSON)
    rasa = request.app[keys.RASA]
    try:
        parse = await rasa.parse(checked.text)
        replies = await rasa.replies(checked.text)
    except RasaUnavailable as problem:
        raise error(web.HTTPServiceUnavailable, RASA_DOWN) from problem
    intent = parse.get("intent") or {}
    return web.json_response({
        "text": checked.text,
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "ranking": [{"name": item.get("name"), "confidence": item.get("confidence")}
                    for item in (parse.get("intent_ranking") or [])[:3]],
        "entities": [{"entity": found.get("entity"), "value": found.get("value"),
                      "text": checked.text[found["start"]:found["end"]]
                      if isinstance(found.get("start"), int) and isinstance(found.get("end"), int) else None}
                     for found in parse.get("entities") or []],
        "replies": [{"text": reply.get("text", ""),
                     "buttons": [button.get("title", "") for button in reply.get("buttons") or []]}
                    for reply in replies],
    }, dumps=web_json)
