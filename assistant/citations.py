"""The sources of an answer as structured data beside its text.

Every factual answer ends with a plain-text footer ("Quelle: <title>, <url>"), which REST
clients show as it is. The action also sends the footer's sources as a custom payload,
`{"sources": [{"title": …, "url": …}]}`; the socket.io channel puts them into the widget's
message (which shows each title as a link), and the REST channel drops the payload, so its
reply stays one plain message. No Rasa here: the action server and both channels use it.
"""

from __future__ import annotations

from typing import Any, Iterable

from assistant.knowledge import Source

SOURCES_KEY = "sources"


def sources_payload(sources: Iterable[Source]) -> list[dict[str, str | None]]:
    """The sources as the custom payload lists them: title, and the address where there is one."""
    return [{"title": source.title, "url": source.url} for source in sources]


def sources_only(custom: object) -> bool:
    """Whether a custom payload is nothing but an answer's sources (sent beside its text)."""
    return isinstance(custom, dict) and set(custom) == {SOURCES_KEY}


def sources_of(custom: object) -> list[dict[str, str | None]]:
    """The well-formed sources of a custom payload: titles as text, addresses only http(s)."""
    if not isinstance(custom, dict) or not isinstance(custom.get(SOURCES_KEY), list):
        return []
    kept: list[dict[str, Any]] = []
    for entry in custom[SOURCES_KEY]:
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not entry["title"]:
            continue
        url = entry.get("url")
        safe = isinstance(url, str) and url.startswith(("https://", "http://"))
        kept.append({"title": entry["title"], "url": url if safe else None})
    return kept
