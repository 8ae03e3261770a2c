"""The editors' commands as an editor starts them: `assistant …` in the virtualenv and `python -m assistant …`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

CONSOLE_SCRIPT = Path(sys.executable).with_name("assistant")


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="console script not installed (run make setup)")
def test_console_script_lists_the_editor_commands_in_german():
    result = subprocess.run([str(CONSOLE_SCRIPT), "--help"], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0
    for line in ["validate     Alle Daten prüfen: Rasa, Wissensbasis, Querprüfungen.",
                 "new-intent   Einen neuen Fragetyp mit allen nötigen Dateien anlegen.",
                 "report       Berichte für die Redaktion.",
                 "ask          Dem laufenden Assistenten eine Frage stellen."]:
        assert line in result.stdout


def test_python_module_runs_validate_with_its_exit_code(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "assistant", "validate", "--project", str(tmp_path),
                             "--skip-rasa"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
                            check=False)
    # An empty folder is no project: every missing file is one German line, and the exit code says so.
    assert result.returncode == 1
    assert ("FEHLER  domain.yml:1: Die Datei fehlt. Prüfen Sie, ob Sie im Projektordner sind (oder --project "
            "auf ihn zeigt).") in result.stdout.splitlines()
    assert "Traceback" not in result.stderr


def test_report_help_is_german():
    result = subprocess.run([sys.executable, "-m", "assistant", "report", "unanswered", "--help"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert "Absender-Kennungen werden nie angezeigt." in " ".join(result.stdout.split())
    assert "-h, --help" in result.stdout and "Diese Hilfe anzeigen." in result.stdout
