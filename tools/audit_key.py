"""Write a signing key for the audit log into ``.streamlit/secrets.toml`` if it has none.

``make run`` and ``make test`` run this first. The key (``[audit] key``) signs every line of the
audit log and its anchor (iro_metrics/access/audit.py); it lives with the other secrets, which git
ignores, and never in the data home. An existing key is left alone: a new key would make every line
written with the old one read as altered. Usage: ``python tools/audit_key.py [path/to/secrets.toml]``.
"""

from __future__ import annotations

import secrets
import sys
import tomllib
from pathlib import Path

DEFAULT = Path(".streamlit") / "secrets.toml"


def ensure_audit_key(path: Path = DEFAULT) -> bool:
    """Append ``[audit] key = "..."`` to ``path`` unless it has one; True when a key was written."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing = tomllib.loads(text).get("audit", {}) if text else {}
    if isinstance(existing, dict) and str(existing.get("key", "")).strip():
        return False
    if isinstance(existing, dict) and existing:
        raise SystemExit(f'{path} has an [audit] section without a key: add key = "<a long random string>" to it')
    path.parent.mkdir(parents=True, exist_ok=True)
    block = (
        "\n# Signs the audit log and its anchor (tools/audit_key.py). Keep it: a new key makes the log read as altered.\n"
        f'[audit]\nkey = "{secrets.token_hex(32)}"\n'
    )
    with path.open("a", encoding="utf-8") as out:
        out.write(("\n" if text and not text.endswith("\n") else "") + block)
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if ensure_audit_key(target):
        print(f"Wrote a new audit-log signing key to {target}.")
