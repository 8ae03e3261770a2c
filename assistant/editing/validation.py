"""`assistant validate`: Rasa's own validation, the knowledge-base schema and our cross-checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.editing import knowledge_checks, nlu_checks, rasa_check
from assistant.editing.findings import Finding, Severity, ordered, unique
from assistant.editing.nlu_checks import Limits, RasaData
from assistant.editing.project import Project
from assistant.editing.rasa_files import compose, read_domain, read_nlu, read_stories


@dataclass
class Result:
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)  # checks that could not run, and why

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity is Severity.WARNING]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def read_rasa_data(project: Project) -> tuple[RasaData | None, list[Finding]]:
    """All Rasa files with line numbers; None if one of them is not valid YAML."""
    domain, problems = read_domain(project.domain, project)
    problems += compose(project.config, project)[2]
    nlu, found = read_nlu(project.nlu_files(), project)
    problems += found
    test_nlu, found = read_nlu(project.test_nlu_files(), project)
    problems += found
    stories, found = read_stories(project.story_files(), project)
    problems += found
    test_stories, found = read_stories(project.test_story_files(), project)
    problems += found
    if domain is None or problems:
        return None, problems
    return RasaData(project, domain, nlu, test_nlu, stories, test_stories), []


def validate(project: Project, limits: Limits | None = None, run_rasa: bool = True) -> Result:
    limits = limits or Limits()
    kb, findings = knowledge_checks.load(project)
    notes = []
    if findings:
        notes.append("Die Querprüfungen der Wissensbasis laufen erst, wenn ihre Fehler behoben sind.")
    data, problems = read_rasa_data(project)
    findings += problems
    if data is None:
        notes.append("Rasas Prüfung und die Querprüfungen der Trainingsdaten laufen erst, wenn alle Dateien "
                     "vorhanden und gültiges YAML sind.")
        return Result(ordered(unique(findings)), notes)
    # Our own findings come first: where Rasa reports the same problem, ours has the line.
    findings += nlu_checks.check(data, limits)
    if kb is not None:
        findings += knowledge_checks.check(kb, data)
    if run_rasa:
        findings += rasa_check.check(rasa_check.Context(project, data.domain, data.nlu, data.stories))
    return Result(ordered(unique(findings)), notes)
