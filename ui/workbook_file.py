"""The trainee's Excel workbook on 我的成果: the download (built when the trainee clicks, from the active book, the
workspace and the page's language) and resuming from a workbook they bring back (``workbook.resume``).

Resuming replaces the session's workspace only after the trainee has seen what the file holds and confirmed; a
file that is not one of ours, or is damaged, gives its message and changes nothing. After the replacement every
page draws its widgets again from the restored workspace (``saving.replace_workspace``) and autosave stores it;
the page then lists what came back changed from Excel and what could not be taken, in the page's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui import saving
from ui.state import active_book, lang, memo, missing_upload, t, workspace
from ui.tier_views import plain_markdown
from ui.uploader import localise_uploader
from workbook import clock, export
from workbook import workspace as ws
from workbook.resume import Resumed, ResumeFileError, change_lines, resume_from_xlsx

LOG = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_VERSION_KEY = "results_resume_version"  # a new uploader after each resume, so the old file is gone
REPORT_KEY = "results_resume_report"  # what the last resume changed, shown once after the rerun
LIST_LIMIT = 30  # lines of the change list shown before "… and N more"


def workbook_bytes(book: pd.DataFrame, work: ws.Workspace, language: str, source: str) -> bytes:
    """The workbook the download button serves: the active book (masked), the workspace, in the page's language."""
    return export.export_xlsx(book, work, lang=language, book_source=source)


def _builder(book: pd.DataFrame, work: ws.Workspace, language: str, source: str) -> Callable[[], bytes]:
    """A callable for the download button: the export runs only when the trainee clicks (about a second for 300
    customers, several for a branch book), never on every rerun of the page. It holds a copy of the workspace as
    shown, and never reads the session (it may run outside the script's thread)."""
    snapshot = ws.from_json(ws.to_json(work))
    return lambda: workbook_bytes(book, snapshot, language, source)


def download_section() -> None:
    language = lang()
    book = active_book()
    work = workspace()
    st.subheader(t("export.page.download_title"))
    st.caption(t("export.page.download_help"))
    missing = missing_upload()
    if missing is not None:
        st.info(t("export.page.download_on_sample", name=plain_markdown(missing["name"])), icon=":material/info:")
    elif not book.is_sample:
        st.caption(t("export.page.download_masked", name=plain_markdown(book.label)))
    name = export.export_filename(work, language)
    st.download_button(
        t("export.page.download_button"), data=_builder(book.frame, work, language, book.source), file_name=name,
        mime=XLSX_MIME, key="results_download", type="primary", icon=":material/download:", on_click="ignore",
    )
    st.caption(t("export.page.download_name", name=plain_markdown(name)))


# ---- resuming from a workbook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    """A file read for resuming: the result, or the error to show (memoised per file, so reruns do not reread)."""

    resumed: Resumed | None
    error: ResumeFileError | None


def _parse(data: bytes) -> _Parsed:
    try:
        return _Parsed(resume_from_xlsx(data), None)
    except ResumeFileError as err:
        return _Parsed(None, err)
    except Exception:  # a reader bug must never show a traceback: the trainee sees the damaged-file message
        LOG.exception("resuming from an uploaded workbook failed")
        return _Parsed(None, ResumeFileError("damaged"))


def _exported_at(text: str, language: str) -> str:
    return clock.local_time_text(text, language) if text else "—"


def _lines(lines: list[str]) -> str:
    shown = [f"- {plain_markdown(line)}" for line in lines[:LIST_LIMIT]]
    if len(lines) > LIST_LIMIT:
        shown.append(f"- {t('export.page.more', n=len(lines) - LIST_LIMIT)}")
    return "\n".join(shown)


def _restore(resumed: Resumed) -> None:
    """The confirm button's callback: the workspace from the file in place of the session's."""
    version = int(st.session_state.get(UPLOAD_VERSION_KEY, 0))
    saving.replace_workspace(resumed.workspace)
    st.session_state[UPLOAD_VERSION_KEY] = version + 1
    st.session_state[REPORT_KEY] = {"changes": resumed.changes, "skipped": resumed.skipped,
                                    "exported_at": resumed.exported_at}


def resume_section() -> None:
    language = lang()
    st.subheader(t("export.page.resume_title"))
    st.caption(t("export.page.resume_help"))
    report = st.session_state.pop(REPORT_KEY, None)
    if isinstance(report, dict):
        _show_report(report, language)
    version = int(st.session_state.get(UPLOAD_VERSION_KEY, 0))
    upload = st.file_uploader(t("export.page.resume_upload"), type=["xlsx"], key=f"results_resume_file_{version}",
                              help=t("export.page.resume_upload_help"))
    localise_uploader("export.page.uploader_limits")  # Streamlit draws "Upload" and its limits line in English
    if upload is None:
        return
    data = upload.getvalue()
    parsed: _Parsed = memo("results.resume", (upload.file_id, len(data)), lambda: _parse(data))
    if parsed.error is not None or parsed.resumed is None:
        error = parsed.error or ResumeFileError("damaged")
        st.error(error.text(language), icon=":material/error:")
        st.caption(t("export.page.resume_nothing_lost"))
        return
    resumed = parsed.resumed
    edits = len(resumed.changes) + len(resumed.skipped)
    st.markdown(t("export.page.resume_found", name=plain_markdown(upload.name),
                  time=_exported_at(resumed.exported_at, language), edits=edits))
    lines = change_lines(resumed, language)
    if lines:
        with st.expander(t("export.page.resume_preview", n=len(lines)), icon=":material/list:"):
            st.markdown(_lines(lines))
    st.warning(t("export.page.resume_replaces"), icon=":material/warning:")
    st.button(t("export.page.resume_button"), key=f"results_resume_confirm_{version}", type="primary",
              icon=":material/restore:", on_click=_restore, args=(resumed,))


def _show_report(report: dict, language: str) -> None:
    changes, skipped = report.get("changes") or (), report.get("skipped") or ()
    st.success(t("export.page.resume_done", time=_exported_at(str(report.get("exported_at") or ""), language)),
               icon=":material/check_circle:")
    if changes:
        st.markdown(t("export.page.resume_changed", n=len(changes)))
        st.markdown(_lines([change.text(language) for change in changes]))
    else:
        st.caption(t("export.page.resume_unchanged"))
    if skipped:
        st.warning(t("export.page.resume_skipped", n=len(skipped)) + "\n\n"
                   + _lines([item.text(language) for item in skipped]), icon=":material/block:")
