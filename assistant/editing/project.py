"""Where Rasa and the knowledge base expect what, inside one project directory.

Every editor command takes the project directory (`--project`), so tests and editors can work
on a copy without touching the real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

# Rasa's own default threshold of the FallbackClassifier (what Rasa applies when config.yml names
# the component without a threshold); tests/cli/test_unanswered.py checks it against Rasa's.
RASA_FALLBACK_THRESHOLD = 0.3


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def domain(self) -> Path:
        return self.root / "domain.yml"

    @property
    def config(self) -> Path:
        return self.root / "config.yml"

    @property
    def nlu_dir(self) -> Path:
        return self.root / "data" / "nlu"

    @property
    def stories_dir(self) -> Path:
        return self.root / "data" / "stories"

    @property
    def knowledge_dir(self) -> Path:
        return self.root / "data" / "knowledge"

    @property
    def test_nlu_dir(self) -> Path:
        return self.root / "tests" / "nlu"

    @property
    def test_nlu_file(self) -> Path:
        return self.test_nlu_dir / "test_nlu.yml"

    @property
    def test_stories_dir(self) -> Path:
        return self.root / "tests" / "stories"

    @property
    def city_lookup(self) -> Path:
        return self.nlu_dir / "generated" / "cities.yml"

    def nlu_files(self) -> list[Path]:
        return _yaml_files(self.nlu_dir)

    def story_files(self) -> list[Path]:
        return _yaml_files(self.stories_dir)

    def test_nlu_files(self) -> list[Path]:
        return _yaml_files(self.test_nlu_dir)

    def test_story_files(self) -> list[Path]:
        return _yaml_files(self.test_stories_dir)

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def fallback_threshold(self) -> float:
        """The FallbackClassifier threshold in config.yml: below it, the bot says it did not understand."""
        try:
            config = yaml.safe_load(self.config.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            return RASA_FALLBACK_THRESHOLD
        for component in config.get("pipeline") or []:
            if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
                return float(component.get("threshold", RASA_FALLBACK_THRESHOLD))
        return RASA_FALLBACK_THRESHOLD


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(path for pattern in ("*.yml", "*.yaml") for path in directory.rglob(pattern))
