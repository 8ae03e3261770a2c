"""Builds the German spaCy pipeline that Rasa's SpacyNLP loads.

No pretrained model is downloaded: spaCy's rule-based German tokenizer plus the lookup
lemmatizer, whose tables come from the spacy-lookups-data package at set-up time and are
saved with the pipeline, so run time needs nothing from the network.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_PATH = Path("build") / "spacy" / "de_lookup"


def build_pipeline():
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the de_lemma_lookup table from spacy-lookups-data
    nlp.meta["name"] = "de_lookup"
    nlp.meta["description"] = "Blank German pipeline with the lookup lemmatizer (built locally)."
    return nlp


def save_pipeline(path: Path = DEFAULT_PATH) -> Path:
    nlp = build_pipeline()
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path
