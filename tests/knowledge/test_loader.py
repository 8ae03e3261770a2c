from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge import KnowledgeBase, KnowledgeBaseError, load_knowledge_base


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base(directory)
    return [str(problem) for problem in raised.value.problems]


def test_every_entry_of_the_real_knowledge_base_loads(kb: KnowledgeBase) -> None:
    assert len(kb.facts) >= 35
    assert {subject.id for subject in kb.networks()} == {"efus", "defus"}
    assert all(fact.sources for fact in kb.facts)


def test_every_fact_names_a_source_with_an_address_or_the_primary_file(kb: KnowledgeBase) -> None:
    for fact in kb.facts:
        for source in fact.sources:
            assert source.url or source.file, fact.id


def test_primary_source_is_the_city_page(kb: KnowledgeBase) -> None:
    primary = [source for source in kb.sources.values() if source.primary]
    assert [source.file for source in primary] == ["000_86598a01d55dc8b0.txt"]


def test_fact_without_source_is_reported_with_file_line_and_german_hint(knowledge_copy: Path) -> None:
    path = knowledge_copy / "defus.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    sources: [lpr-niedersachsen]\n\n  - id: defus-join-conditions",
                        "\n  - id: defus-join-conditions", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - id: defus-funding") + 1
    found = problems_of(knowledge_copy)
    assert found == [
        f"{path}:{line}: Eintrag „defus-funding“, Feld „sources“: Pflichtfeld fehlt. Jeder Fakt "
        "braucht eine Quelle: tragen Sie unter „sources“ die ID einer Quelle aus sources.yml ein."
    ]


def test_unknown_source_id_is_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "efus.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("sources: [efus-web]", "sources: [efus-webseite]"),
                    encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "„efus-website“" in problem and "Die Quelle „efus-webseite“ gibt es nicht" in problem


def test_malformed_yaml_names_file_and_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "bochum.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "attribute: city_membership" in line)
    lines[index] = "    attribute: [city_membership"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert problem.startswith(f"{path}:")
    assert "kein gültiges YAML" in problem


def test_duplicate_fact_id_is_reported_with_first_place(knowledge_copy: Path) -> None:
    path = knowledge_copy / "defus.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: defus-funding", "id: defus-goals"),
                    encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "Die ID ist doppelt vergeben (zuerst in" in problem and "defus-goals" in problem


def test_wrong_date_and_unknown_field_are_both_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "efus.yml"
    text = path.read_text(encoding="utf-8").replace("as_of: 2026-11-28", "as_of: 28.11.2026", 1)
    text = text.replace("    attribute: seat\n", "    attribute: seat\n    quelle: Paris\n")
    path.write_text(text, encoding="utf-8")
    found = problems_of(knowledge_copy)
    assert any("Feld „as_of“: muss ein Datum in der Form JJJJ-MM-TT sein" in p for p in found)
    assert any("Feld „quelle“: unbekanntes Feld (Tippfehler?)" in p for p in found)


def test_fact_about_unknown_subject_is_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "bochum.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("subject: bochum", "subject: dortmund", 1),
                    encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "„dortmund“ ist kein bekanntes Thema" in problem


def test_a_handoff_detail_that_names_no_group_is_reported(knowledge_copy: Path) -> None:
    path = knowledge_copy / "vocabulary.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "handoff_details: [Kontaktdaten, Namen]", "handoff_details: [Kontaktdaten, Telefon]"), encoding="utf-8")
    [problem] = problems_of(knowledge_copy)
    assert "„Telefon“ in handoff_details ist keine Gruppe von not_in_sources" in problem
    assert problem.startswith(f"{path}:")
