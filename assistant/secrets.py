"""Secrets from the environment, or generated once into a git-ignored file for local runs.

Nothing secret is ever committed, put on a command line (visible in `ps`) or in a URL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def secret(env_var: str, var_dir: Path, generate: bool = True) -> str | None:
    """The value of `env_var`; else the one stored under var/secrets/, created if `generate`."""
    value = os.environ.get(env_var, "").strip()
    if value:
        return value
    path = var_dir / "secrets" / env_var.lower()
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    if not generate:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    value = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
