"""Every statement of the primary source (the city page), as a citizen's question and the
patterns its answer must contain. Used by the answering tests and the end-to-end REST test."""

from __future__ import annotations

EFUS_MEMBER_CITIES = [
    "Augsburg", "Berlin", "Düsseldorf", "Essen", "Freiburg", "Gelsenkirchen", "Gladbeck",
    "Göttingen", "Hannover", "Heidelberg", "Karlsruhe", "Köln", "Mannheim", "München", "Nürnberg",
    "Stuttgart",
]

# (question, intent, network entity or None, patterns)
PRIMARY_FACTS = [
    ("Wie viele Mitglieder hat Efus?", "ask_members", "efus", [r"circa 250", r"17 europäischen Ländern"]),
    ("Wann wurde Efus gegründet?", "ask_founding", "efus", [r"1987", r"Barcelona", r"Europarat"]),
    ("Welche Rechtsform hat Efus?", "ask_legal_form", "efus", [r"eingetragener Verein nach französischem Recht"]),
    ("Wo hat Efus seinen Sitz?", "ask_seat", "efus", [r"Paris"]),
    ("Was ist Efus?", "ask_purpose", "efus", [r"Städtenetzwerk", r"Zusammenarbeit"]),
    ("Mit welchen Themen beschäftigt sich Efus?", "ask_topics", "efus",
     [r"Kriminalprävention", r"städtische Sicherheit", r"Sucht und Drogen", r"Kriminalitätsfurcht",
      r"Opferschutz", r"Krisenmanagement", r"organisierte Kriminalität", r"Handlungspläne"]),
    ("Was bietet Efus seinen Mitgliedern?", "ask_offers", "efus",
     [r"EU-geförderte Projekte", r"Fortbildungs- und Beratungsangebote", r"inklusiver Städte"]),
    # "Warum …?" asks for the reasons only; "Seit wann …?" for the year.
    ("Warum ist Bochum Efus beigetreten?", "ask_city_role", "efus",
     [r"internationale Vernetzung", r"Best-Practice", r"europäische Diskussionen"]),
    ("Seit wann ist Bochum Mitglied von Efus?", "ask_city_role", "efus", [r"seit 2023"]),
    ("Ist DEFUS ein eingetragener Verein?", "ask_legal_form", "defus", [r"eingetragener"]),
    ("Wie viele Mitglieder hat DEFUS?", "ask_members", "defus", [r"18 Städte und 2 Organisationen"]),
    ("Wann wurde DEFUS gegründet?", "ask_founding", "defus", [r"10\. Mai 2010", r"Berlin"]),
    ("Was ist DEFUS?", "ask_purpose", "defus",
     [r"praxisrelevanten Austausch", r"unbürokratische Zusammenarbeit", r"Landes- und Stadtgrenzen",
      r"friedliche Zusammenleben"]),
    ("Welche Veranstaltungen bietet DEFUS an?", "ask_offers", "defus",
     [r"regelmäßige Treffen", r"Workshops", r"Fortbildungsangebote"]),
    ("Welche Themen hat DEFUS?", "ask_topics", "defus",
     [r"öffentlichen Raum", r"Mandatsträger", r"kommunale Kriminalprävention", r"Resilienz"]),
    ("Ist Bochum Mitglied bei DEFUS?", "ask_membership", "defus",
     [r"nicht als Mitglied", r"Oktober 2023", r"Mitgliederversammlung", r"Essen"]),
]
