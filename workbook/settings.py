"""Deployment settings: a name looked up in the environment, then in Streamlit's secrets files.

An instructor configures the classroom server either way: ``WORKBOOK_DB_URL=... streamlit run app.py``, or a
``.streamlit/secrets.toml`` beside the app (Streamlit's own place for secrets, read here as plain TOML so the
domain package stays free of streamlit). The environment wins, so a one-off override needs no file edit.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG = logging.getLogger(__name__)


def secrets_files() -> tuple[Path, ...]:
    """Where Streamlit reads secrets, most specific first: the app's folder, the working folder, the user's."""
    candidates = (
        PROJECT_ROOT / ".streamlit" / "secrets.toml",
        Path.cwd() / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    )
    unique: list[Path] = []
    for path in candidates:
        if path not in unique:
            unique.append(path)
    return tuple(unique)


def setting(name: str) -> str | None:
    """The value of ``name`` (stripped), or None when it is set nowhere (an empty value counts as unset)."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    for path in secrets_files():
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as err:
            # A broken secrets file must not stop the classroom: say so in the server log and read on.
            LOG.warning("cannot read %s: %s", path, err)
            continue
        found = data.get(name)
        if isinstance(found, (str, int, float)) and str(found).strip():
            return str(found).strip()
    return None
