"""A private copy of the project's data for each test, and the editors' CLI run in-process."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.settings import PROJECT_ROOT

# What an editor edits, plus the files Rasa's validation reads.
PROJECT_FILES = ("domain.yml", "config.yml")
PROJECT_DIRS = ("data", "tests/nlu", "tests/stories")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith("FEHLER")]

    def warnings(self) -> list[str]:
        return [line for line in self.lines if line.startswith("WARNUNG")]


def run_cli(*args: str) -> Run:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the project's data that a test may break."""
    target = tmp_path / "project"
    target.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(PROJECT_ROOT / name, target / name)
    for name in PROJECT_DIRS:
        shutil.copytree(PROJECT_ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def line_number(path: Path, text: str, occurrence: int = 1) -> int:
    """The 1-based line on which `text` stands (its n-th occurrence as a whole line, stripped)."""
    found = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if line.strip() == text.strip()]
    assert len(found) >= occurrence, f"{text!r} not found {occurrence}x in {path}"
    return found[occurrence - 1]


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
