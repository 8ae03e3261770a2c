"""The editors' commands: `validate`, `new-intent`, `report unanswered` and `ask`.

Only the command-line layer (options, German help texts, output); the work is done in the
other modules of this package. `assistant.cli` registers these commands on its group.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click

from assistant.settings import PROJECT_ROOT, get_settings

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]

german_help = click.help_option("--help", "-h", help="Diese Hilfe anzeigen.")
project_option = click.option(
    "--project", "project_dir", type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=PROJECT_ROOT, show_default="dieses Projekt",
    help="Ordner des Projekts (mit domain.yml und data/); zum Üben auch eine Kopie.")
db_url_option = click.option(
    "--db-url", default=None, metavar="URL",
    help="Gesprächsspeicher (Rasa-SQL-Tracker-Store) als SQLAlchemy-Adresse, z. B. "
         "postgresql://benutzer@server/rasa. Standard: die SQLite-Datei var/tracker.db des Assistenten.")


def _db_url(db_url: str | None) -> str:
    from assistant.editing.tracker_store import default_url

    return db_url or default_url(get_settings())


def _decimal(number: float) -> str:
    """0.45 as a German reader writes it: 0,45."""
    return f"{number:.2f}".replace(".", ",")


# -- validate ------------------------------------------------------------------------------

@click.command(
    short_help="Alle Daten prüfen: Rasa, Wissensbasis, Querprüfungen.",
    help="Prüft alle Daten, die die Redaktion pflegt: Rasas eigene Prüfung, die Wissensbasis und "
         "Querprüfungen (Beispiele, Regeln, Testfragen, Namen, Quellen). Jedes Problem steht in einer "
         "Zeile mit Datei und Zeilennummer. Bei Fehlern endet der Befehl mit Exit-Code 1, bei bloßen "
         "Warnungen mit 0.")
@project_option
@click.option("--min-examples", type=click.IntRange(min=1), default=25, show_default=True,
              help="Mindestzahl der Trainingsbeispiele je Fragetyp.")
@click.option("--min-test-examples", type=click.IntRange(min=0), default=5, show_default=True,
              help="Mindestzahl der Testfragen je Fragetyp in tests/nlu/.")
@click.option("--skip-rasa", is_flag=True,
              help="Rasas eigene Prüfung überspringen (schneller, aber unvollständig).")
@german_help
def validate(project_dir: Path, min_examples: int, min_test_examples: int, skip_rasa: bool) -> None:
    from assistant.editing.nlu_checks import Limits
    from assistant.editing.project import Project
    from assistant.editing.validation import validate as run_validation

    click.echo("Prüfe die Daten (Rasas eigene Prüfung dauert einige Sekunden) …", err=True)
    result = run_validation(Project(project_dir.resolve()), Limits(min_examples, min_test_examples),
                            run_rasa=not skip_rasa)
    for finding in result.findings:
        click.echo(str(finding))
    for note in result.notes:
        click.echo(f"HINWEIS {note}")
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        click.echo(f"{errors} Fehler, {warnings} Warnung(en). Bitte beheben Sie die Fehler und prüfen Sie "
                   "danach erneut mit „assistant validate“.")
    elif warnings:
        click.echo(f"Keine Fehler, {warnings} Warnung(en): Die Daten sind nutzbar. Sehen Sie sich die "
                   "Warnungen bei Gelegenheit an.")
    else:
        click.echo("Alles in Ordnung: keine Fehler, keine Warnungen.")
    sys.exit(result.exit_code)


# -- new-intent ----------------------------------------------------------------------------

@click.command(
    "new-intent",
    short_help="Einen neuen Fragetyp mit allen nötigen Dateien anlegen.",
    help="Legt einen neuen Fragetyp (Intent) NAME an: Trainingsbeispiele, Eintrag in domain.yml, Regel, "
         "Testgeschichte und Testfragen – mit Platzhaltern, die Sie danach ausfüllen. Bis dahin meldet "
         "„assistant validate“ Fehler. NAME besteht aus Kleinbuchstaben und Unterstrichen, z. B. "
         "ask_opening_hours.")
@click.argument("name")
@project_option
@click.option("--attribute", "attributes", multiple=True, metavar="ATTRIBUT",
              help="Aus der Wissensbasis antworten: Fakten mit diesem Attribut beantworten die Frage "
                   "(mehrfach möglich). Ohne diese Angabe antwortet der Assistent mit einem festen Text.")
@click.option("--subject", type=click.Choice(["network", "city", "all_networks"]), default="network",
              show_default=True, help="Nur mit --attribute: Worum geht es in der Frage?")
@click.option("--topic", default=None, metavar="TEXT",
              help="Nur mit --attribute: das Thema, wie in „Zu … liegen mir keine gesicherten "
                   "Informationen vor“, z. B. „zu den Sprachen“.")
@german_help
def new_intent(name: str, project_dir: Path, attributes: tuple[str, ...], subject: str,
               topic: str | None) -> None:
    from assistant.editing.project import Project
    from assistant.editing.scaffold import Request, ScaffoldError
    from assistant.editing.scaffold import new_intent as scaffold

    try:
        result = scaffold(Project(project_dir.resolve()), Request(name, attributes, subject, topic))
    except ScaffoldError as error:
        for finding in error.findings:
            click.echo(str(finding), err=True)
        click.echo(f"FEHLER  {error} Es wurde nichts verändert.", err=True)
        sys.exit(1)
    click.echo(f"Der Fragetyp „{result.name}“ ist angelegt.")
    width = max(len(file) for file, _ in result.created + result.changed)
    for file, what in result.created:
        click.echo(f"  neu:      {file:<{width}}  {what}")
    for file, what in result.changed:
        click.echo(f"  geändert: {file:<{width}}  {what}")
    click.echo("Jetzt sind Sie dran:")
    for number, step in enumerate(result.todo, start=1):
        click.echo(f"  {number}. {step}")
    click.echo(f"  {len(result.todo) + 1}. „assistant validate“ aufrufen, bis keine Fehler mehr gemeldet "
               "werden; danach „make test“ (trainiert den Assistenten neu).")


# -- report unanswered ---------------------------------------------------------------------

@click.group(help="Berichte für die Redaktion.")
@german_help
def report() -> None:
    pass


@report.command(
    short_help="Was Bürgerinnen und Bürger fragten und unbeantwortet blieb.",
    help="Listet, was Bürgerinnen und Bürger gefragt haben und der Assistent nicht beantworten konnte "
         "(nicht verstanden, nicht zuständig oder unsicher erkannt) – ähnliche Formulierungen "
         "zusammengefasst und gezählt, mit Zeitraum. Daraus werden neue Trainingsbeispiele. "
         "Absender-Kennungen werden nie angezeigt.")
@db_url_option
@project_option
@click.option("--csv", "csv_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Den Bericht zusätzlich als CSV-Datei speichern (Semikolon, UTF-8, öffnet in Excel).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Als unsicher gilt eine Erkennung unter dieser Konfidenz. Standard: die Schwelle des "
                   "FallbackClassifier in config.yml.")
@click.option("--similarity", type=click.FloatRange(0.5, 1), default=0.8, show_default=True,
              help="Wie ähnlich sich Formulierungen sein müssen, um zusammengefasst zu werden (1 = gleich).")
@click.option("--since", type=click.DateTime(DATE_FORMATS), default=None,
              help="Nur Fragen ab diesem Zeitpunkt (JJJJ-MM-TT, optional mit Uhrzeit).")
@click.option("--until", type=click.DateTime(DATE_FORMATS), default=None,
              help="Nur Fragen vor diesem Zeitpunkt (JJJJ-MM-TT, optional mit Uhrzeit).")
@click.option("--top", type=click.IntRange(min=0), default=50, show_default=True,
              help="So viele Gruppen in der Tabelle zeigen (0 = alle); die CSV-Datei enthält immer alle.")
@german_help
def unanswered(db_url: str | None, project_dir: Path, csv_file: Path | None, threshold: float | None,
               similarity: float, since: datetime | None, until: datetime | None, top: int) -> None:
    from assistant.editing import unanswered as reporting
    from assistant.editing.project import Project
    from assistant.editing.tracker_store import TrackerStoreError, events

    threshold = threshold if threshold is not None else Project(project_dir).fallback_threshold()
    stored = events(_db_url(db_url), since.timestamp() if since else None, until.timestamp() if until else None)
    try:
        result = reporting.build(stored, threshold, similarity)
    except TrackerStoreError as error:
        click.echo(f"FEHLER  {error}", err=True)
        sys.exit(1)
    if result.first is None or result.last is None:
        click.echo(f"Keine unbeantworteten Fragen gefunden ({result.turns} Fragen insgesamt).")
    else:
        click.echo(f"Unbeantwortete Fragen {reporting.period(result.first, result.last)}: {result.questions} "
                   f"von {result.turns} Fragen, in {len(result.groups)} Gruppen ähnlicher Formulierungen "
                   f"(„unsicher erkannt“ heißt: Konfidenz unter {_decimal(threshold)}).\n")
        for line in reporting.table(result, top=top or None):
            click.echo(line)
    if csv_file is not None:
        reporting.write_csv(result, csv_file)
        click.echo(f"\nCSV-Datei gespeichert: {csv_file}")


# -- ask -----------------------------------------------------------------------------------

@click.command(
    short_help="Dem laufenden Assistenten eine Frage stellen.",
    help="Stellt dem laufenden Assistenten eine Frage und zeigt seine Antwort sowie den erkannten "
         "Fragetyp (Intent) mit Konfidenz. Der Assistent muss laufen (make run).")
@click.argument("message")
@click.option("--url", default=None, metavar="URL",
              help="Adresse des laufenden Assistenten. Standard: aus den Einstellungen, "
                   "z. B. http://127.0.0.1:5005.")
@db_url_option
@click.option("--sender", default=None, metavar="KENNUNG",
              help="Ein bestehendes Gespräch fortsetzen (für Anschlussfragen), mit der Gesprächskennung, "
                   "die der Assistent bei der vorigen Frage ausgegeben hat; sonst beginnt ein neues.")
@click.option("--json", "as_json", is_flag=True, help="Ausgabe als JSON (für Skripte und Agenten).")
@german_help
def ask(message: str, url: str | None, db_url: str | None, sender: str | None, as_json: bool) -> None:
    from assistant.editing.ask import AskError
    from assistant.editing.ask import ask as ask_bot

    try:
        answer = ask_bot(url or get_settings().rasa_url, _db_url(db_url), message, sender)
    except AskError as error:
        click.echo(f"FEHLER  {error}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(answer.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo("Antwort des Assistenten:")
    for reply in answer.replies:
        for line in reply.text.splitlines() or [""]:
            click.echo(f"  {line}")
        if reply.buttons:
            click.echo("  Knöpfe: " + " | ".join(reply.buttons))
    if not answer.replies:
        click.echo("  (keine Antwort)")
    if answer.sender:
        click.echo(f"Gesprächskennung für Anschlussfragen: --sender {answer.sender}")
    if answer.intent is None:
        click.echo(f"Erkannter Fragetyp: nicht ermittelbar. {answer.understanding_error or ''}".rstrip())
        return
    confidence = f" (Konfidenz {_decimal(answer.confidence)})" if answer.confidence is not None else ""
    click.echo(f"Erkannter Fragetyp: {answer.intent}{confidence}")
    if answer.entities:
        click.echo("Erkannte Angaben: " + ", ".join(f"{entity} = {value}" for entity, value in answer.entities))


# -- purge ---------------------------------------------------------------------------------

@click.command(
    short_help="Alte Gespräche aus dem Gesprächsspeicher löschen.",
    help="Löscht alle Gespräche, deren letzte Nachricht älter ist als angegeben (Datenschutz: "
         "Gespräche werden nur so lange aufbewahrt wie nötig). Angaben wie 30d (Tage), 12w "
         "(Wochen), 6m (Monate) oder 1y (Jahre). Standard: ASSISTANT_RETENTION_DAYS, sonst 30 Tage.")
@click.option("--older-than", "older_than", default=None, metavar="ALTER",
              help="Mindestalter der letzten Nachricht, z. B. 30d.")
@db_url_option
@german_help
def purge(older_than: str | None, db_url: str | None) -> None:
    from assistant.editing.tracker_store import describe
    from assistant.privacy import parse_age, purge_conversations

    try:
        age = parse_age(older_than or f"{get_settings().retention_days}d")
    except ValueError:
        click.echo(f"„{older_than}“ verstehe ich nicht. Bitte z. B. 30d, 12w, 6m oder 1y angeben.", err=True)
        sys.exit(2)
    url = _db_url(db_url)
    deleted = purge_conversations(url, age)
    click.echo(f"{deleted} Gespräch(e) älter als {age.days} Tage aus {describe(url)} gelöscht.")


COMMANDS = (validate, new_intent, report, ask, purge)

