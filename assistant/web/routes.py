"""The route table of the web app."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from assistant.web import views

API = "/api/v1"


def setup_routes(app: web.Application, static_dir: Path) -> None:
    app.add_routes([
        # citizens: no login
        web.get("/", views.citizen_page, name="index"),
        web.get("/widget/v1/widget.js", views.widget_script, name="widget_script"),
        web.get("/widget/v1/widget.css", views.widget_stylesheet, name="widget_stylesheet"),
        web.get("/health", views.health, name="health"),
        # agents: the page holds no data; every API call needs the bearer token
        web.get("/agent", views.agent_page, name="agent"),
        web.get(f"{API}/session", views.api_session, name="api_session"),
        web.get(f"{API}/search", views.api_search, name="api_search"),
        web.get(f"{API}/facts/{{fact_id}}", views.api_fact, name="api_fact"),
        web.get(f"{API}/conversations/{{code}}", views.api_conversation, name="api_conversation"),
        web.post(f"{API}/preview", views.api_preview, name="api_preview"),
        web.static("/static", static_dir, name="static"),
    ])
