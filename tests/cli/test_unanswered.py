"""`assistant report unanswered` on a tracker store that the real Rasa server filled."""

from __future__ import annotations

import csv
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from assistant.editing import unanswered
from assistant.editing.tracker_store import Event
from assistant.settings import PROJECT_ROOT
from assistant.stack import Stack
from tests.cli.conftest import run_cli
from tests.cli.guide import assert_shows
from tests.conftest import Post

GARBAGE_LOT = "Wann wird bei mir der Müll abgeholt?"  # out of scope (a training example)
GARBAGE_VARIANTS = ["wann wird bei mir der muell abgeholt", "Wann wird bei mir der Müll abgeholt??"]
NONSENSE = "asdfgh jklö"  # not understood


@pytest.fixture(scope="module")
def conversations(stack: Stack, post: Post) -> dict:
    """Citizens' questions sent through the real REST channel; `since` excludes earlier tests' turns."""
    since = (datetime.now() + timedelta(seconds=1)).replace(microsecond=0)
    time.sleep(max(0.0, (since - datetime.now()).total_seconds()) + 0.1)
    senders = []
    for message in [GARBAGE_LOT, GARBAGE_LOT, *GARBAGE_VARIANTS, NONSENSE, NONSENSE,
                    "Wann wurde DEFUS gegründet?", '/inform_network{"network": "efus"}']:
        sender = f"buerger-{uuid.uuid4().hex}"
        senders.append(sender)
        status, replies = post({"sender": sender, "message": message})
        assert status == 200 and replies, (message, replies)
    return {"db_url": f"sqlite:///{stack.settings.var_dir / 'tracker.db'}", "senders": senders,
            "since": since.strftime("%Y-%m-%dT%H:%M:%S")}


def report(conversations: dict, *extra: str):
    return run_cli("report", "unanswered", "--db-url", conversations["db_url"], "--since",
                   conversations["since"], *extra)


@pytest.mark.servers
@pytest.mark.model
def test_unanswered_questions_are_grouped_counted_and_dated(conversations: dict):
    result = report(conversations)

    assert result.exit_code == 0, result.stderr
    today = datetime.now().strftime("%d.%m.%Y")
    assert result.lines[0] == (f"Unbeantwortete Fragen {today}: 6 von 7 Fragen, in 2 Gruppen ähnlicher "
                               "Formulierungen („unsicher erkannt“ heißt: Konfidenz unter 0,30).")
    rows = result.lines[result.lines.index("") + 3:]
    assert rows[0].split()[0] == "4"
    assert f"{GARBAGE_LOT} (+2 ähnliche)" in rows[0] and "nicht zuständig" in rows[0] and today in rows[0]
    assert rows[1].split()[0] == "2"
    assert NONSENSE in rows[1] and "nicht verstanden" in rows[1]
    assert "DEFUS gegründet" not in result.stdout and "inform_network" not in result.stdout
    assert_shows("bericht-ausgabe", result.stdout)


@pytest.mark.servers
@pytest.mark.model
def test_csv_lists_every_wording_and_never_a_sender_id(conversations: dict, tmp_path: Path):
    target = tmp_path / "unbeantwortet.csv"

    result = report(conversations, "--csv", str(target))

    assert result.exit_code == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    today = datetime.now().strftime("%d.%m.%Y")
    assert rows[0] == ["Anzahl", "Frage", "Ähnliche Formulierungen", "Grund", "Erstmals", "Zuletzt"]
    assert rows[1][:2] == ["4", GARBAGE_LOT]
    assert set(rows[1][2].split(" | ")) == set(GARBAGE_VARIANTS)
    assert rows[1][3:] == ["nicht zuständig", today, today]
    assert rows[2] == ["2", NONSENSE, "", "nicht verstanden", today, today]
    assert_shows("bericht-csv", target.read_text(encoding="utf-8-sig"))
    exported = target.read_text(encoding="utf-8-sig") + result.stdout + result.stderr
    assert not any(sender in exported for sender in conversations["senders"])
    assert "buerger-" not in exported


@pytest.mark.servers
@pytest.mark.model
def test_a_higher_threshold_also_lists_uncertain_answers(conversations: dict):
    result = report(conversations, "--threshold", "1.0")

    # No model is ever fully sure: now the answered question is listed as uncertain, too.
    assert result.exit_code == 0
    assert "7 von 7 Fragen" in result.lines[0] and "Konfidenz unter 1,00" in result.lines[0]
    answered = [line for line in result.lines if "Wann wurde DEFUS gegründet?" in line]
    assert len(answered) == 1 and "unsicher erkannt" in answered[0]


def test_a_missing_or_broken_tracker_store_is_one_german_line(tmp_path: Path):
    missing = run_cli("report", "unanswered", "--db-url", f"sqlite:///{tmp_path / 'fehlt.db'}")
    broken_file = tmp_path / "kaputt.db"
    broken_file.write_text("keine Datenbank", encoding="utf-8")
    broken = run_cli("report", "unanswered", "--db-url", f"sqlite:///{broken_file}")

    assert missing.exit_code == 1
    assert missing.stderr.strip() == (f"FEHLER  Unter {tmp_path / 'fehlt.db'} gibt es keinen Gesprächsspeicher. "
                                      "Hat der Assistent schon Gespräche geführt (make run)? Einen anderen "
                                      "Speicher geben Sie mit --db-url an.")
    assert broken.exit_code == 1
    assert broken.stderr.strip() == (f"FEHLER  Der Gesprächsspeicher sqlite:///{broken_file} lässt sich nicht "
                                     "lesen (file is not a database). Ist es ein Rasa-SQL-Tracker-Store mit der "
                                     "Tabelle „events“?")


def test_the_export_is_safe_to_open_in_a_spreadsheet_and_a_terminal(tmp_path: Path):
    def turn(sender: str, text: str, intent: str, confidence: float, action: str) -> list[Event]:
        parse = {"intent": {"name": intent, "confidence": confidence}}
        return [Event(sender, "user", time.time(), intent, None, {"text": text, "parse_data": parse}),
                Event(sender, "action", time.time(), None, action, {})]

    stored = [*turn("a", '=HYPERLINK("http://example.org","Klick")', "nlu_fallback", 0.3, "utter_default"),
              *turn("b", "Wo ist das \x1b[31mRathaus\x1b[0m?", "out_of_scope", 0.9, "utter_out_of_scope")]
    result = unanswered.build(stored, threshold=0.45, similarity=0.8)
    target = tmp_path / "export.csv"
    unanswered.write_csv(result, target)

    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    questions = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://example.org\",\"Klick\")" in questions  # shown as text, never run
    assert not any(question.startswith("=") for question in questions)
    assert "\x1b" not in "\n".join(unanswered.table(result)) + target.read_text(encoding="utf-8-sig")


def test_the_threshold_is_the_one_rasa_applies(tmp_path):
    from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

    from assistant.editing.project import RASA_FALLBACK_THRESHOLD, Project

    assert FallbackClassifier.get_default_config()["threshold"] == RASA_FALLBACK_THRESHOLD
    assert Project(PROJECT_ROOT).fallback_threshold() == 0.3  # config.yml
    (tmp_path / "config.yml").write_text("pipeline:\n  - name: FallbackClassifier\n    threshold: 0.6\n",
                                         encoding="utf-8")
    assert Project(tmp_path).fallback_threshold() == 0.6
    (tmp_path / "config.yml").write_text("pipeline:\n  - name: FallbackClassifier\n", encoding="utf-8")
    assert Project(tmp_path).fallback_threshold() == RASA_FALLBACK_THRESHOLD
