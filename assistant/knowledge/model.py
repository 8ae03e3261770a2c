"""Typed records of the knowledge base, built by the loader after schema validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Location:
    """Where an entry stands in the editors' YAML files, for error messages."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str | None
    file: str | None
    primary: bool
    checked: dt.date
    location: Location

    def citation(self) -> str:
        """How the source is named to a citizen: title, plus the address where there is one."""
        return f"{self.title}, {self.url}" if self.url else self.title


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str  # "network" or "city"
    name: str
    long_name: str
    aliases: tuple[str, ...]
    website: str | None
    location: Location


@dataclass(frozen=True)
class Fact:
    id: str
    subject: str
    attribute: str
    answer: str
    sources: tuple[Source, ...]
    location: Location
    value: dict[str, Any] = field(default_factory=dict)
    network: str | None = None
    as_of: dt.date | None = None
    note: str | None = None
    note_sources: tuple[Source, ...] = ()
    # What an elliptical follow-up ("Und wo?", "Wer war das?") may ask about this fact: each facet
    # names the value the answer text states, or the id of another fact that answers it.
    # None: not stated (a fact an editor added without them answers whatever its kind answers).
    facets: dict[str, str] | None = None
    referent: str | None = None  # the fact's event in the genitive: "der Gründung von Efus"

    @property
    def is_primary(self) -> bool:
        return any(source.primary for source in self.sources)


@dataclass(frozen=True)
class Question:
    """A kind of question (one Rasa intent) and the attributes that answer it."""

    intent: str
    subject: str  # "network", "city" or "all_networks"
    topic: str
    attributes: tuple[str, ...]
    location: Location
    # Words of questions that the facts of these attributes answer (beside the facts' own words).
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    """The human route for citizens who want to talk to a person."""

    city: str
    route: str
    phone: str | None
    email: str | None
    url: str | None


@dataclass(frozen=True)
class FacetWords:
    """How a follow-up asks for one facet, and how an honest reply names it (vocabulary.yml)."""

    label: str  # "Zum Ort", as it precedes the referent: "Zum Ort der Gründung von Efus …"
    words: tuple[str, ...]
    also: tuple[str, ...] = ()  # facets that answer it too ("Wie lange gibt es …?": since when)
    # Facets it narrows down: "Warum ausgerechnet in Barcelona?" asks why that place, which the
    # founding's reasons ("why") do not answer.
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Words that decide whether a question asks for something the sources hold (vocabulary.yml)."""

    general: tuple[str, ...] = ()  # say nothing about the aspect asked for ("bitte", "erfahren")
    handoff: tuple[str, ...] = ()  # a citizen who wants a person ("Ansprechpartner", "Rathaus")
    # Words that ask for what no fact holds (amounts, future dates), by the aspect's name.
    not_in_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words that ask for one facet of what was just answered ("wann", "dauerte"), by facet.
    facets: dict[str, FacetWords] = field(default_factory=dict)
    # Groups of `not_in_sources` a citizen who wants a person may ask for ("Haben Sie eine
    # E-Mail-Adresse von DEFUS?"): the handoff first says that the sources do not hold it.
    handoff_details: tuple[str, ...] = ()
    # Groups of `not_in_sources` that ask for the name of something: answered when the question's
    # noun is a thing the facts of its kind name ("Wie heißt das Manifest?").
    name_groups: tuple[str, ...] = ()

