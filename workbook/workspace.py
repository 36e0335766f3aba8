"""A trainee's work: one versioned, JSON-serialisable object that every page edits.

Shape (plain data, so the store, the export and the importer share it)::

    {
      "version": 1,
      "trainee": {"name": "", "group": "", "workshop": ""},
      "modules": {"<page id>": {"<input>": value, ..., "_done": bool},
                  "_lectures_seen": {"<page id>": true}},
    }

``_lectures_seen`` is the app's own record of which pages' lectures the trainee has read (later visits open on the
worksheet); it sits beside the pages' modules, not inside them, so a page's inputs stay exactly what was entered.

Module values are JSON types only (str, int, float, bool, None, lists and dicts of them; tables as lists of
row dicts). Reading a module merges its defaults first, then what the trainee entered, so a new default
never overwrites their work and an old saved workspace still opens.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from workbook import i18n

SCHEMA_VERSION = 1

Workspace = dict[str, Any]


class WorkspaceError(i18n.LocalisedError):
    """A saved workspace could not be read (catalogue ``error.workspace.<code>``; ``text(lang)``)."""

    catalogue_prefix = "error.workspace"


def new_workspace() -> Workspace:
    return {
        "version": SCHEMA_VERSION,
        "trainee": {"name": "", "group": "", "workshop": ""},
        "modules": {},
    }


def module_values(workspace: Workspace, module_id: str, defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The module's inputs: defaults first, then the trainee's own values (a copy; edit with set_values)."""
    merged: dict[str, Any] = copy.deepcopy(dict(defaults or {}))
    merged.update(copy.deepcopy(workspace.get("modules", {}).get(module_id, {})))
    return merged


def set_values(workspace: Workspace, module_id: str, /, **values: Any) -> None:
    """Store inputs for a module. Values must be JSON-serialisable."""
    for name, value in values.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise TypeError(f"workspace value {module_id}.{name} is not plain JSON data: {err}") from err
    workspace.setdefault("modules", {}).setdefault(module_id, {}).update(copy.deepcopy(values))


TRAINEE_FIELDS: tuple[str, ...] = ("name", "group", "workshop")


def trainee(workspace: Workspace) -> dict[str, str]:
    """Who did the work: name, group and workshop code (empty until asked for, at the first submission)."""
    stored = workspace.get("trainee", {})
    return {name: str(stored.get(name) or "") for name in TRAINEE_FIELDS}


def set_trainee(workspace: Workspace, **fields: str) -> None:
    unknown = set(fields) - set(TRAINEE_FIELDS)
    if unknown:
        raise TypeError(f"unknown trainee fields: {sorted(unknown)}")
    workspace.setdefault("trainee", {}).update({name: str(value or "").strip() for name, value in fields.items()})


def mark_done(workspace: Workspace, module_id: str, done: bool = True) -> None:
    workspace.setdefault("modules", {}).setdefault(module_id, {})["_done"] = bool(done)


def is_done(workspace: Workspace, module_id: str) -> bool:
    return bool(workspace.get("modules", {}).get(module_id, {}).get("_done"))


LECTURES_SEEN = "_lectures_seen"


def mark_seen(workspace: Workspace, page_id: str) -> None:
    """The trainee has read the page's lecture once: later visits open on the worksheet, the lecture folded."""
    workspace.setdefault("modules", {}).setdefault(LECTURES_SEEN, {})[page_id] = True


def is_seen(workspace: Workspace, page_id: str) -> bool:
    return bool(workspace.get("modules", {}).get(LECTURES_SEEN, {}).get(page_id))


def is_started(workspace: Workspace, module_id: str) -> bool:
    values = workspace.get("modules", {}).get(module_id, {})
    return any(k != "_done" for k in values) or bool(values.get("_done"))


def module_status(workspace: Workspace, module_id: str) -> str:
    """``done``, ``started`` or ``new`` (catalogue ``home.status_<status>``)."""
    if is_done(workspace, module_id):
        return "done"
    return "started" if is_started(workspace, module_id) else "new"


def progress(workspace: Workspace, module_ids: Iterable[str]) -> tuple[int, int]:
    """(modules done, modules in total) for the given worksheet modules."""
    ids = list(module_ids)
    return sum(is_done(workspace, m) for m in ids), len(ids)


def to_json(workspace: Workspace) -> str:
    return json.dumps(workspace, ensure_ascii=False, sort_keys=True, allow_nan=False)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def from_json(text: str | bytes) -> Workspace:
    """Read a saved workspace, upgrading older versions; unknown newer versions are refused."""
    try:
        # NaN and Infinity are not JSON: refused here, as to_json would refuse to save them back.
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError; RecursionError: deep nesting
        raise WorkspaceError("not_json") from err
    if (not isinstance(data, dict) or not isinstance(data.get("modules", {}), dict)
            or not isinstance(data.get("trainee", {}), dict)):
        raise WorkspaceError("bad_shape")
    version = data.get("version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise WorkspaceError("bad_shape")
    if version > SCHEMA_VERSION:
        raise WorkspaceError("too_new", version=version, supported=SCHEMA_VERSION)
    workspace = new_workspace()
    workspace["trainee"].update({str(k): str(v) for k, v in data.get("trainee", {}).items()})
    workspace["modules"] = {str(k): dict(v) for k, v in data.get("modules", {}).items() if isinstance(v, dict)}
    return workspace


# ---- what changed between two versions of a workspace (two tabs on one link save without undoing each other) -----

_REMOVED = object()
Change = tuple[tuple[str, ...], Any]  # (path, new value); a removed value is the sentinel ``REMOVED``
REMOVED: Any = _REMOVED


def changes(before: Workspace, after: Workspace) -> list[Change]:
    """Every value that differs from ``before`` to ``after``: trainee fields and module inputs, one by one.

    The unit is one input of one module (``("modules", "s1_2", "target")``) or one trainee field, so a tab that
    changed 1.2 and another that changed 3.5 both keep their work when each applies its own changes."""
    found: list[Change] = []
    old_trainee, new_trainee = before.get("trainee", {}), after.get("trainee", {})
    for name in sorted(set(old_trainee) | set(new_trainee)):
        if old_trainee.get(name, _REMOVED) != new_trainee.get(name, _REMOVED):
            found.append((("trainee", name), _copied(new_trainee.get(name, _REMOVED))))
    old_modules, new_modules = before.get("modules", {}), after.get("modules", {})
    for module_id in sorted(set(old_modules) | set(new_modules)):
        old_values, new_values = old_modules.get(module_id, {}), new_modules.get(module_id, {})
        for name in sorted(set(old_values) | set(new_values)):
            if old_values.get(name, _REMOVED) != new_values.get(name, _REMOVED):
                found.append((("modules", module_id, name), _copied(new_values.get(name, _REMOVED))))
    return found


def _copied(value: Any) -> Any:
    return value if value is _REMOVED else copy.deepcopy(value)  # a deep copy of the marker would be a new object


def apply_changes(workspace: Workspace, found: Iterable[Change]) -> Workspace:
    """A copy of ``workspace`` with ``found`` (from :func:`changes`) applied."""
    result = copy.deepcopy(workspace)
    for path, value in found:
        container = result
        for part in path[:-1]:
            container = container.setdefault(part, {})
        if value is _REMOVED:
            container.pop(path[-1], None)
        else:
            container[path[-1]] = copy.deepcopy(value)
    return result
