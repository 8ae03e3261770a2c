"""Command-line interface: `python -m assistant …` or the `assistant` console script."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from assistant.settings import PROJECT_ROOT, get_settings


@click.group(help="Digitaler Assistent zu Efus und DEFUS: Werkzeuge für Betrieb und Redaktion.")
def main() -> None:
    pass


@main.command(help="Prüft die Wissensbasis (data/knowledge) und nennt jedes Problem mit Datei und Zeile.")
@click.option("--knowledge-dir", type=click.Path(path_type=Path), default=None,
              help="Ordner der Wissensdateien (Standard: data/knowledge).")
def check(knowledge_dir: Path | None) -> None:
    from assistant.knowledge import KnowledgeBaseError, load_knowledge_base

    directory = knowledge_dir or get_settings().knowledge_dir
    try:
        kb = load_knowledge_base(directory)
    except KnowledgeBaseError as error:
        for problem in error.problems:
            click.echo(f"FEHLER {problem}", err=True)
        click.echo(f"{len(error.problems)} Problem(e) gefunden. Bitte beheben Sie sie und prüfen "
                   "Sie erneut.", err=True)
        sys.exit(1)
    click.echo(f"Wissensbasis in Ordnung: {len(kb.facts)} Fakten aus {len(kb.sources)} Quellen.")


@main.command(help="Build the German spaCy pipeline and the NLU lookup table of German places.")
def prepare() -> None:
    from assistant.gazetteer import write_lookup_table
    from assistant.spacy_pipeline import DEFAULT_PATH, save_pipeline

    save_pipeline(PROJECT_ROOT / DEFAULT_PATH)
    write_lookup_table(PROJECT_ROOT / "data" / "nlu" / "generated" / "cities.yml")
    click.echo("Prepared the spaCy pipeline and the city lookup table.")


@main.command(help="Run the action server (after checking the knowledge base).")
def actions() -> None:
    from rasa_sdk.endpoint import run

    from actions.knowledge import answerer
    from assistant.knowledge import KnowledgeBaseError

    try:
        # The knowledge base, and the answerer with its sentence encoder (seconds), before the
        # server listens: the first question after a (re)start is then answered within the
        # action timeout, not apologised for.
        answerer()
    except KnowledgeBaseError as error:
        click.echo(f"Die Wissensbasis hat Fehler, der Action-Server startet nicht:\n{error}", err=True)
        sys.exit(1)
    settings = get_settings()
    # rasa_sdk binds to SANIC_HOST and defaults to all interfaces; ours is loopback by default.
    os.environ.setdefault("SANIC_HOST", settings.host)
    # Only Rasa calls the action server, never a browser: no CORS origins at all.
    run("actions", port=settings.action_port, cors_origins=[])


@main.command("rasa-server", help="Run the Rasa server (channels and JWT-protected HTTP API).")
@click.option("--model", type=click.Path(exists=True, dir_okay=False), required=True)
def rasa_server(model: str) -> None:
    from assistant.server import serve

    serve(get_settings(), model)


@main.command(help="Start the action server, the Rasa server and the web app; stop all with Ctrl-C.")
@click.option("--scaled", is_flag=True,
              help="Two Rasa replicas on PostgreSQL and Redis behind HAProxy (see README, Scaling out).")
def run(scaled: bool) -> None:
    from assistant.scaled import ScaledStack
    from assistant.stack import CrashLoop, Stack, StartupError

    settings = get_settings()
    stack = ScaledStack(settings) if scaled else Stack(settings)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        click.echo(f"Starting {', '.join(stack.services)} (loading the model takes a moment)…")
        stack.start()
        url = settings.rasa_url
        click.echo(
            "\nThe assistant is running:\n"
            f"  website + chat widget: {settings.web_url}/\n"
            f"  agent console:         {settings.web_url}/agent  (access key: see the web app's line above)\n"
            f"  REST webhook:          {url}/webhooks/rest/webhook\n"
            f"  socket.io:             {url}/socket.io\n"
            f"  action server:         {settings.action_url}\n\n"
            "Try it:\n"
            f"  curl -s {url}/webhooks/rest/webhook -H 'Content-Type: application/json' \\\n"
            "       -d '{\"message\": \"Wann wurde DEFUS gegründet?\"}'\n"
            "  (send the reply's recipient_id as \"sender\" with the next message to continue)\n\n"
            "A server that stops is restarted while the others keep serving. Press Ctrl-C to stop."
        )
        stack.supervise(log=lambda line: click.echo(line, err=True))
    except CrashLoop as error:
        click.echo(f"{error}: stopping all servers. Fix the cause and start again.", err=True)
        sys.exit(1)
    except StartupError as error:
        click.echo(f"Start-up failed: {error}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("\nStopping all servers…")
    finally:
        stack.stop()


def _register_editor_commands() -> None:
    from assistant.editing.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_editor_commands()


@main.command(help="Run the web app: citizen page with the chat widget, agent console and its API.")
def web() -> None:
    from assistant.web.app import serve
    from assistant.web.widget import AssetsMissing

    try:
        serve(get_settings())
    except AssetsMissing as problem:
        click.echo(str(problem), err=True)
        sys.exit(1)
