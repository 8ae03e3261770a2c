"""Checks on the NLU data that Rasa's own validator does not make."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from assistant.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
MIN_EXAMPLES = 25


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@pytest.fixture(scope="module")
def training():
    return load_data(str(NLU_DIR))


@pytest.fixture(scope="module")
def test_set():
    return load_data(str(TEST_SET))


@pytest.fixture(scope="module")
def domain_intents() -> list[str]:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]


def test_every_intent_has_enough_training_examples(training, domain_intents):
    counts = Counter(example.get("intent") for example in training.intent_examples)
    assert {intent: counts[intent] for intent in domain_intents if counts[intent] < MIN_EXAMPLES} == {}


def test_held_out_set_is_large_and_covers_every_intent(test_set, domain_intents):
    counts = Counter(example.get("intent") for example in test_set.intent_examples)
    assert len(test_set.intent_examples) >= 150
    assert [intent for intent in domain_intents if counts[intent] < 5] == []


def test_no_test_example_is_also_a_training_example(training, test_set):
    trained = {normalize(example.get("text")) for example in training.intent_examples}
    leaked = [example.get("text") for example in test_set.intent_examples
              if normalize(example.get("text")) in trained]
    assert leaked == []


def test_no_example_is_under_two_intents(training):
    seen: dict[str, set[str]] = {}
    for example in training.intent_examples:
        seen.setdefault(normalize(example.get("text")), set()).add(example.get("intent"))
    assert {text: intents for text, intents in seen.items() if len(intents) > 1} == {}


def test_every_network_entity_maps_to_a_known_network(training, test_set):
    synonyms = training.entity_synonyms
    for data in (training, test_set):
        for example in data.training_examples:
            for entity in example.get("entities") or []:
                if entity["entity"] != "network":
                    continue
                value = synonyms.get(entity["value"].casefold(), entity["value"]).casefold()
                assert value in {"efus", "defus", "other"}, entity


def test_generated_city_lookup_covers_the_cities_the_knowledge_base_names(kb):
    lookup = (NLU_DIR / "generated" / "cities.yml").read_text(encoding="utf-8")
    names = {line.strip()[2:] for line in lookup.splitlines() if line.strip().startswith("- ")}
    for city in ["Bochum", "Köln", "Koeln", "Dortmund", "München", "Muenchen", "Nürnberg", "Gladbeck"]:
        assert city in names
    assert Path(NLU_DIR / "generated").is_dir()
