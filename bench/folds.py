"""Seeded, stratified cross-validation folds of the NLU training data, written as Rasa YAML.

Rasa's own `generate_folds` shuffles without a seed; these folds are the same in every run.
Each training fold keeps the synonyms, regexes and lookup tables of the full data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SEED = 42


@dataclass(frozen=True)
class Fold:
    index: int
    train_dir: Path
    test_file: Path
    train_examples: int
    test_examples: int


def write_folds(nlu_dir: Path, out_dir: Path, folds: int, seed: int = SEED) -> list[Fold]:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    data = load_data(str(nlu_dir))
    examples = data.intent_examples
    labels = [example.get_full_intent() for example in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    written = []
    for index, (train_index, test_index) in enumerate(splitter.split(examples, labels), start=1):
        fold_dir = out_dir / f"fold-{index}"
        train = TrainingData(
            training_examples=[examples[i] for i in train_index],
            entity_synonyms=data.entity_synonyms,
            regex_features=data.regex_features,
            lookup_tables=data.lookup_tables,
        )
        test = TrainingData(training_examples=[examples[i] for i in test_index])
        (fold_dir / "train").mkdir(parents=True, exist_ok=True)
        RasaYAMLWriter().dump(fold_dir / "train" / "nlu.yml", train)
        RasaYAMLWriter().dump(fold_dir / "test.yml", test)
        written.append(Fold(index, fold_dir / "train", fold_dir / "test.yml", len(train_index), len(test_index)))
    return written
