"""The web app: the citizen page with the chat widget, the agent console and its JSON API.

A thin aiohttp adapter over the plain-Python knowledge base (assistant.knowledge) and the Rasa
server (socket.io channel for the widget, JWT-protected HTTP API for the console). Layout as in
aiohttp-demos `polls`: app factory (app.py), route table (routes.py), views, middlewares,
templates and static files.
"""

from assistant.web.app import create_app

__all__ = ["create_app"]
