"""Adding entries to YAML files as text, so comments, blank lines and layout stay as the editors wrote them."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, SequenceNode

from assistant.editing.rasa_files import get


class EditError(Exception):
    """The file's layout is too unusual to extend automatically."""


def _last_content_line(lines: list[str], node: Node) -> int:
    """0-based index of the last line that belongs to `node` (not blank, not a comment)."""
    index = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
    index = min(index, len(lines) - 1)
    while index > node.start_mark.line and (not lines[index].strip() or lines[index].lstrip().startswith("#")):
        index -= 1
    return index


def _with_newline(lines: list[str]) -> list[str]:
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def append_to_sequence(text: str, root: Node, key: str, item: str) -> str:
    """Add `- item` after the last entry of the top-level list `key`, indented like the others."""
    sequence = get(root, key)
    if not isinstance(sequence, SequenceNode) or not sequence.value:
        raise EditError(f"Der Abschnitt „{key}“ fehlt oder ist leer.")
    lines = _with_newline(text.splitlines(keepends=True))
    first = lines[sequence.value[0].start_mark.line]
    dash = first.index("-")
    last = _last_content_line(lines, sequence.value[-1])
    lines.insert(last + 1, f"{' ' * dash}- {item}\n")
    return "".join(lines)


def append_to_mapping(text: str, root: Node, key: str, block: list[str], separate: bool = True) -> str:
    """Add a `name: …` block (lines relative to the entries' indentation) at the end of mapping `key`.

    Without a mapping `key`, it is created at the end of the file.
    """
    mapping = get(root, key)
    lines = _with_newline(text.splitlines(keepends=True))
    if not isinstance(mapping, MappingNode) or not mapping.value:
        addition = [f"\n{key}:\n"] + [f"  {line}\n" if line else "\n" for line in block]
        return "".join(lines + addition)
    indent = mapping.value[0][0].start_mark.column
    last = _last_content_line(lines, mapping.value[-1][1])
    addition = (["\n"] if separate else []) + [f"{' ' * indent}{line}\n" if line else "\n" for line in block]
    lines[last + 1:last + 1] = addition
    return "".join(lines)


def sequence_item_indent(root: Node, key: str) -> int:
    """Column of the `-` of the entries of top-level list `key` (0 if there are none)."""
    sequence = get(root, key)
    if isinstance(sequence, SequenceNode) and sequence.value:
        first = sequence.value[0]
        return max(first.start_mark.column - 2, 0)
    return 0
