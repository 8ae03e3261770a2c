"""Deterministic queries over the curated facts."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from assistant.knowledge.model import Contact, Fact, Question, Source, Subject, Vocabulary
from assistant.knowledge.names import NameIndex

OTHER_NETWORK = "other"
_OTHER_WORDS = ("andere", "anderen", "anderes", "anderem", "anderer", "other")
# "das Netzwerk mit Sitz in Paris", "das Forum, das 1987 gegründet wurde": a network described
# by what its facts say; the names and numbers of the description decide which one. Not "der
# Verein in Berlin": in "Sitzt der Verein in Berlin?" the place is what is asked.
_DESCRIPTION = re.compile(r"\b(?:Netzwerk|Forum|Verein|Verband|Städtenetzwerk|Zusammenschluss|network|forum)"
                          r"\b(?P<tail>\s*(?:,\s*(?:das|der|die|dessen|deren|welches)|mit|aus)\b[^.?!]{1,60})",
                          re.IGNORECASE)
_DESCRIBING_WORD = re.compile(r"\b(?:[A-ZÄÖÜ][\wäöüß-]{2,}|\d{3,4})\b")
_TAIL_WORD = re.compile(r"\b(?:[^\W\d_][\w-]{3,}|\d{3,4})\b")


def _described_by(fact: Fact) -> set[str]:
    """The words of a fact's structured values and facets ("Paris", "1987"): what a citizen may
    describe its network by, unlike the common words of its text."""
    values = [*(fact.value or {}).values(), *(fact.facets or {}).values()]
    return {word.casefold() for value in values if isinstance(value, (str, int))
            for word in _DESCRIBING_WORD.findall(str(value))}


class MembershipStatus(enum.Enum):
    MEMBER = "member"  # the sources name the city as a member
    PARTICIPATED = "participated"  # the sources only say something weaker
    NOT_LISTED = "not_listed"  # the sources name members, but not this city
    UNKNOWN = "unknown"  # the sources name no member cities at all


@dataclass(frozen=True)
class Membership:
    city: str
    network: Subject
    status: MembershipStatus
    facts: tuple[Fact, ...]
    since: int | None = None


class KnowledgeBase:
    def __init__(
        self,
        sources: dict[str, Source],
        subjects: dict[str, Subject],
        facts: Sequence[Fact],
        questions: dict[str, Question],
        contact: Contact,
        place_names: Iterable[str] = (),
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.sources = sources
        self.subjects = subjects
        self.facts = tuple(facts)
        self.questions = questions
        self.contact = contact
        self.vocabulary = vocabulary or Vocabulary()
        self._facts_by_id = {fact.id: fact for fact in self.facts}
        self._networks = NameIndex()
        self._cities = NameIndex()
        for subject in subjects.values():
            index = self._networks if subject.kind == "network" else self._cities
            for name in (subject.name, subject.long_name, subject.id, *subject.aliases):
                index.add(name, subject.id if subject.kind == "network" else subject.name)
        for city in self._listed_member_cities():
            self._cities.add(city, city)
        self.add_place_names(place_names)

    # -- lookups -------------------------------------------------------------------------

    def fact(self, fact_id: str) -> Fact | None:
        return self._facts_by_id.get(fact_id)

    def networks(self) -> list[Subject]:
        return [subject for subject in self.subjects.values() if subject.kind == "network"]

    def subject(self, subject_id: str) -> Subject:
        return self.subjects[subject_id]

    def facts_for(self, subject: str, attributes: Sequence[str], network: str | None = None) -> list[Fact]:
        """Facts about `subject` for the attributes, in the attributes' order, primary source first."""
        found = []
        for attribute in attributes:
            matching = [
                fact for fact in self.facts
                if fact.subject == subject and fact.attribute == attribute
                and (network is None or fact.network in (None, network))
            ]
            found.extend(sorted(matching, key=lambda fact: not fact.is_primary))
        return found

    # -- understanding names -------------------------------------------------------------

    def add_place_names(self, names: Iterable[str]) -> None:
        """Teach the city matcher more place names (e.g. all German municipalities)."""
        for name in names:
            self._cities.add(name, name)

    def find_networks(self, text: str) -> list[str]:
        """Network ids named or described in the text, in order; OTHER_NETWORK for "das andere
        Forum"."""
        return self.named_networks(text) or self._described_networks(text)

    def named_networks(self, text: str) -> list[str]:
        """Network ids named in the text, in order; OTHER_NETWORK for "das andere Forum"."""
        found = self._networks.find_all(text)
        lowered = text.casefold()
        if not found and any(word in lowered.split() for word in _OTHER_WORDS):
            found.append(OTHER_NETWORK)
        return found

    def _described_networks(self, text: str) -> list[str]:
        described = self.described_network(text)
        return [described[0]] if described else []

    def described_network(self, text: str) -> tuple[str, int, int] | None:
        """ "das Netzwerk mit Sitz in Paris": the one network whose facts' values hold the
        description's names or numbers ("Paris"), and where the description starts and ends;
        None when no network or both networks' facts hold them ("Berlin" is DEFUS's founding
        place and a member of Efus)."""
        lowercase = text.islower()
        names = {word.casefold() for network in self.networks()
                 for name in (network.name, network.long_name, *network.aliases) for word in name.split()}
        for match in _DESCRIPTION.finditer(text):
            tail = match.group("tail")
            # Case-blind only when the whole message is: "das netzwerk in paris".
            for token in (_TAIL_WORD if lowercase else _DESCRIBING_WORD).finditer(tail):
                key = token.group().casefold()
                if key in names:
                    continue
                holding = {network.id for network in self.networks()
                           for fact in self.facts if fact.subject == network.id and key in _described_by(fact)}
                if len(holding) == 1:
                    end = match.start("tail") + token.end()
                    if tail.lstrip().startswith(","):
                        # "das Forum, das 1987 gegründet wurde": the whole relative clause.
                        clause = re.search(r",|[.?!]|$", text[end:])
                        end += clause.start() if clause else 0
                    return holding.pop(), match.start(), end
        return None

    def resolve_network(self, name: str) -> str | None:
        """One network id for an entity value such as "efus", "des Efus" or "other"."""
        if name.strip().casefold() == OTHER_NETWORK:
            return OTHER_NETWORK
        found = self.find_networks(name)
        return found[0] if found else None

    def other_network(self, network_id: str) -> str | None:
        others = [subject.id for subject in self.networks() if subject.id != network_id]
        return others[0] if len(others) == 1 else None

    def resolve_city(self, name: str) -> str | None:
        """Canonical name of a city given as an entity value ("Koeln", "Kölns" → "Köln")."""
        exact = self._cities.lookup(name)
        if exact:
            return exact
        # "Mülheim an der Ruhr" when only "Mülheim" is known: the known part names the city.
        found = self._cities.find_all(name)
        return found[0] if len(found) == 1 else None

    def find_cities(self, text: str) -> list[str]:
        return self._cities.find_all(text)

    # -- membership ------------------------------------------------------------------------

    def _listed_member_cities(self) -> list[str]:
        return [
            city["name"]
            for fact in self.facts if fact.attribute == "member_cities"
            for city in fact.value.get("cities", [])
        ]

    def membership(self, city: str, network_id: str) -> Membership:
        """What the sources say about `city` in a network, never more than they say."""
        network = self.subjects[network_id]
        lists = self.facts_for(network_id, ["member_cities"])
        key = NameIndex([(city, city)])
        for fact in lists:
            for entry in fact.value.get("cities", []):
                if entry["name"] in key:
                    return Membership(city, network, MembershipStatus.MEMBER, (fact,), entry.get("since"))
        city_subject = self.city_subject(city)
        if city_subject:
            own = [
                fact for fact in self.facts
                if fact.subject == city_subject.id and fact.network == network_id
            ]
            members = [fact for fact in own if fact.attribute == "city_membership"]
            if members:
                return Membership(city, network, MembershipStatus.MEMBER, tuple(members),
                                  members[0].value.get("since"))
            if own:
                return Membership(city, network, MembershipStatus.PARTICIPATED, tuple(own))
        if lists:
            return Membership(city, network, MembershipStatus.NOT_LISTED, tuple(lists))
        return Membership(city, network, MembershipStatus.UNKNOWN,
                          tuple(self.facts_for(network_id, ["member_count"])))

    def city_subject(self, city: str) -> Subject | None:
        """The knowledge base's own subject for a city name, if it has one."""
        key = NameIndex([(city, city)])
        for subject in self.subjects.values():
            if subject.kind == "city" and (subject.name in key or subject.long_name in key):
                return subject
        return None
