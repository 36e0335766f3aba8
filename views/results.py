"""我的成果: the trainee's day at a glance — progress per module and each exercise's receipt, who they are (asked
for submitting), how to open the same work on another device (the address and a QR code), and starting afresh.

Sections in page order: progress · identity · the Excel workbook to take home · resume from a workbook brought
back (``ui.workbook_file``) · another device · start fresh."""

import io

import segno
import streamlit as st

from ui import saving, workbook_file
from ui.frame import footer, header
from ui.state import lang, memo, module_values, save_trainee, t, trainee, workspace
from ui.tier_views import plain_markdown
from workbook import course, exercises
from workbook import workspace as ws

PAGE = "results"
# pages whose work is submitted: page id -> exercise id (texts results.submitted_<id>, results.not_submitted_<id>)
EXERCISE_PAGES = {"s3_5": exercises.EXERCISE_ID, "s4_4": exercises.EXERCISE2_ID}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")

header(PAGE)
language = lang()
work = workspace()

# ---- progress per module ------------------------------------------------------------------------------------------
st.subheader(t("results.progress_title"))
worksheets = course.worksheet_pages()
done, total = ws.progress(work, (p.id for p in worksheets))
st.progress(done / total if total else 0.0, text=t("home.progress_detail", done=done, total=total))
sections = [s for s in course.SECTIONS if any(p.section == s.id for p in worksheets)]
# One section under the other: side by side, an English title with its status was cut at 1024 px.
for section in sections:
    with st.container(border=True):
        st.markdown(f"**{t(f'section.{section.id}')}**")
        for entry in (p for p in worksheets if p.section == section.id):
            status = ws.module_status(work, entry.id)
            st.page_link(entry.file, label=f"{t(entry.title_key)} · {t(f'home.status_{status}')}", icon=entry.icon)
            exercise = EXERCISE_PAGES.get(entry.id)
            if exercise is None:
                continue
            receipt = module_values(entry.id).get("receipt")
            if isinstance(receipt, dict):
                when = saving.receipt_time(receipt.get("time"), language)
                st.caption(t(f"results.submitted_{exercise}", time=when,
                             workshop=plain_markdown(str(receipt.get("workshop", ""))),
                             group=plain_markdown(str(receipt.get("group", "")))))
            else:
                st.caption(t(f"results.not_submitted_{exercise}"))

# ---- identity -----------------------------------------------------------------------------------------------------
st.subheader(t("results.identity_title"))
st.caption(t("results.identity_help"))
identity = trainee()


def _keep_identity(widget: str, field: str) -> None:
    save_trainee(**{field: st.session_state[widget]})


for column, field in zip(st.columns(3), ("name", "group", "workshop"), strict=True):
    widget = f"results_{field}"
    if widget not in st.session_state:
        st.session_state[widget] = identity[field]
    with column:
        st.text_input(t(f"results.{field}_label"), key=widget, on_change=_keep_identity, args=(widget, field),
                      max_chars=100)

# ---- the workbook: take it home, bring it back --------------------------------------------------------------------
workbook_file.download_section()
workbook_file.resume_section()

# ---- open my work on another device -------------------------------------------------------------------------------
st.subheader(t("results.device_title"))
token = saving.token()
page_url = st.context.url or ""
address = f"{page_url}?{saving.TOKEN_PARAM}={token}&lang={language}"
text_column, code_column = st.columns([2, 1], gap="large")
with text_column:
    st.markdown(t("results.device_help"))
    st.code(address, language=None, wrap_lines=True)
    st.caption(t("results.device_private"))
    local_host = next((host for host in LOCAL_HOSTS if f"//{host}" in page_url), None)
    if local_host is not None:
        st.caption(t("results.device_local", host=local_host))


def _qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=5, border=2)
    return buffer.getvalue()


with code_column:
    # the column's width: about 190 px at 1024 px with the sidebar open, still easy for a phone to scan
    st.image(memo("results.qr", address, lambda: _qr_png(address)), caption=t("results.qr_caption"), width="stretch")

# ---- start fresh ------------------------------------------------------------------------------------------------
st.subheader(t("results.fresh_title"))
st.caption(t("results.fresh_help"))
CONFIRM_KEY = "results_fresh_confirm"
if not st.session_state.get(CONFIRM_KEY):
    if st.button(t("results.fresh_button"), key="results_fresh", icon=":material/restart_alt:"):
        st.session_state[CONFIRM_KEY] = True
        st.rerun()
else:
    st.warning(t("results.fresh_confirm"), icon=":material/warning:")
    yes, no, _ = st.columns([1, 1, 3])
    if yes.button(t("results.fresh_yes"), key="results_fresh_yes", type="primary"):
        saving.start_fresh()
        st.rerun()
    if no.button(t("results.fresh_no"), key="results_fresh_no"):
        st.session_state[CONFIRM_KEY] = False
        st.rerun()

footer(PAGE)
