"""The chat widget as a city web team embeds it: one script, one stylesheet, from our origin.

The script is our widget code wrapped together with socket.io-client's browser build (from
node_modules, installed by `npm ci` at set-up), in one function scope: the embedding page gets
no global `io`, and a page that brings its own socket.io-client keeps it.

What the widget tells citizens about the server (how long conversations are kept) is written
into the script here, from the settings, as `WIDGET_CONFIG`: the city's embed snippet then never
has to repeat, and never contradicts, a server setting.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOCKET_IO_CLIENT = Path("socket.io-client") / "dist" / "socket.io.min.js"
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


class AssetsMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def widget_config(retention_days: int) -> dict[str, Any]:
    """The server facts the widget shows citizens."""
    return {"retentionDays": retention_days}


@dataclass(frozen=True)
class WidgetAssets:
    script: Asset
    stylesheet: Asset

    @classmethod
    def build(cls, widget_dir: Path, node_modules: Path, config: dict[str, Any] | None = None) -> WidgetAssets:
        client_path = node_modules / SOCKET_IO_CLIENT
        if not client_path.exists():
            raise AssetsMissing(
                f"{client_path} is missing: run `make` (it runs `npm ci`) to install the browser assets."
            )
        client = _SOURCE_MAP.sub("", client_path.read_text(encoding="utf-8"))
        widget = (widget_dir / "widget.js").read_text(encoding="utf-8")
        script = (
            "/* Digitaler Assistent der Stadt Bochum zu Efus und DEFUS: Chat-Widget.\n"
            " * Contains socket.io-client (MIT licence, https://socket.io). */\n"
            "(function () {\n"
            "var module = { exports: {} }, exports = module.exports, define;\n"
            f"{client}\n"
            "var io = module.exports;\n"
            f"var WIDGET_CONFIG = {json.dumps(config or {}, sort_keys=True)};\n"
            f"{widget}\n"
            "})();\n"
        )
        return cls(
            script=Asset(script.encode("utf-8"), "text/javascript"),
            stylesheet=Asset((widget_dir / "widget.css").read_bytes(), "text/css"),
        )
