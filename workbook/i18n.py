"""The one string catalogue: every user-facing text, in Simplified Chinese and English.

The catalogue is the TOML files in ``workbook/text/``; each file holds one area's strings (``common.toml``,
``book.toml``, ``s1.toml`` …) as tables with a ``zh`` and an ``en`` value::

    [book.title]
    zh = "我的客户名册"
    en = "My customer book"

Keys are the dotted table paths. A key defined in two files, or lacking either language, is an error that the
tests report. Values may hold ``{name}`` placeholders filled by :func:`t`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
TEXT_DIR = Path(__file__).parent / "text"
MISSING_MARK = "⟦{key}⟧"


class CatalogueError(ValueError):
    """The catalogue files are inconsistent (duplicate key, missing language, bad TOML)."""


def _flatten(table: dict[str, Any], prefix: str, out: dict[str, dict[str, str]], source: str) -> None:
    if set(table) & set(LANGUAGES) or not any(isinstance(v, dict) for v in table.values()):
        if prefix in out:
            raise CatalogueError(f"duplicate catalogue key {prefix!r} in {source}")
        out[prefix] = {lang: table[lang] for lang in table if isinstance(table[lang], str)}
        return
    for name, value in table.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}.{name}" if prefix else name, out, source)
        else:
            raise CatalogueError(f"catalogue key {prefix}.{name} in {source} is not a zh/en table")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All entries, key → {lang: text}. Read once per process (the files are code, not user data)."""
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(TEXT_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as err:
                raise CatalogueError(f"{path.name}: {err}") from err
        _flatten(data, "", entries, path.name)
    return entries


def incomplete_keys() -> list[str]:
    """Keys lacking a non-empty text in one of the languages."""
    return sorted(k for k, v in catalogue().items() if any(not v.get(lang, "").strip() for lang in LANGUAGES))


def has_key(key: str) -> bool:
    return key in catalogue()


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``{placeholders}`` filled.

    A missing key renders as ⟦key⟧ rather than raising, so a trainee never sees a traceback; the page smoke
    tests fail on that mark.
    """
    entry = catalogue().get(key)
    if entry is None:
        return MISSING_MARK.format(key=key)
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or MISSING_MARK.format(key=key)
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


class LocalisedError(ValueError):
    """A bad input the trainee can fix, with its message in the catalogue under ``<catalogue_prefix>.<code>``.

    ``str(err)`` is the Chinese message; ``err.text(lang)`` renders it in either language; ``err.values`` holds
    the raw values the message quotes (a subclass may turn them into display text in ``message_values``).
    """

    catalogue_prefix: ClassVar[str] = ""

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.values = values
        super().__init__(self.text(DEFAULT_LANGUAGE))

    def message_values(self, lang: str) -> Mapping[str, Any]:
        return self.values

    def text(self, lang: str) -> str:
        return t(f"{self.catalogue_prefix}.{self.code}", lang, **self.message_values(lang))


def pick(lang: str, zh: str, en: str) -> str:
    """The English text when ``lang`` is English, else the Chinese (the default language)."""
    return en if lang == "en" else zh


class Labelled:
    """For frozen dataclasses whose ``zh`` and ``en`` fields name a thing (a tier, a parameter, a level)."""

    zh: str
    en: str

    def label(self, lang: str) -> str:
        return pick(lang, self.zh, self.en)


def normalise_language(value: object) -> str:
    """A language code from a URL or widget value; anything unknown falls back to Chinese."""
    text = str(value or "").strip().lower()
    if text.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE
