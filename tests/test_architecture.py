"""The project's structural rules, checked rather than trusted."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import workbook
from workbook import course, i18n

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.]+)["']""")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_workbook_never_imports_streamlit() -> None:
    offenders = [p.name for p in (ROOT / "workbook").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_never_import_each_other() -> None:
    offenders = [p.name for p in (ROOT / "views").glob("*.py") if "views" in _imports(p)]
    assert offenders == []


def test_registry_lists_only_existing_pages_and_every_page_is_registered() -> None:
    registered = {entry.file for entry in course.PAGES}
    assert all((ROOT / file).is_file() for file in registered)
    on_disk = {f"views/{p.name}" for p in (ROOT / "views").glob("*.py")}
    assert on_disk == registered
    assert len({entry.id for entry in course.PAGES}) == len(course.PAGES)
    assert sum(entry.default for entry in course.PAGES) == 1
    assert {entry.section for entry in course.PAGES} <= {s.id for s in course.SECTIONS}


def test_agenda_is_six_hours() -> None:
    assert course.total_minutes() == 360


def test_catalogue_is_complete_in_both_languages() -> None:
    assert i18n.incomplete_keys() == []


def test_every_literal_key_used_in_code_exists() -> None:
    used: dict[str, str] = {}
    for folder in ("views", "ui", "app.py"):
        paths = [ROOT / folder] if folder.endswith(".py") else list((ROOT / folder).rglob("*.py"))
        for path in paths:
            for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, path.name)
    missing = {key: where for key, where in used.items() if not i18n.has_key(key)}
    assert missing == {}


def test_every_page_has_its_nav_title_and_course_text() -> None:
    for entry in course.PAGES:
        assert i18n.has_key(entry.title_key), entry.id
        if entry.id != "home":
            assert i18n.has_key(f"lecture.{entry.id}"), entry.id
            assert i18n.has_key(f"summary.{entry.id}"), entry.id
    for section in course.SECTIONS:
        assert i18n.has_key(f"section.{section.id}")


def test_facade_names_never_shadow_a_module() -> None:
    # A facade function named like its module would make `workbook.X` depend on import order.
    modules = {p.stem for p in (ROOT / "workbook").glob("*.py")}
    assert set(workbook.__all__) & modules == set()


def test_facade_names_resolve() -> None:
    for name in workbook.__all__:
        assert getattr(workbook, name) is not None, name


USES_OF_CACHE_RESOURCE = r"(?:@st\.cache_resource\b|\bcache_resource(?=\())(\([^)]*\))?"  # with its arguments


def test_no_streamlit_cache_resource_shared_by_sessions() -> None:
    # st.cache_resource is shared by every session: per-user data must never go there. Only its per-session form
    # (scope="session", ui/state.py's hook on a tab's end) is allowed.
    offenders = [
        f"{p.name}: {use.group(0)}"
        for folder in ("views", "ui")
        for p in (ROOT / folder).rglob("*.py")
        for use in re.finditer(USES_OF_CACHE_RESOURCE, p.read_text(encoding="utf-8"))
        if 'scope="session"' not in (use.group(1) or "")
    ]
    assert offenders == []
