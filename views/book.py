"""我的客户名册: choose the sample book or upload one's own, map its columns, see the validation report,
a masked preview and the book's shape."""

import hashlib
from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from ui import charts, values
from ui.frame import footer, header
from ui.layout import flow_columns, metric_row
from ui.state import ActiveBook, active_book, book_memo, lang, memo, sample_active_book, set_active_book, t
from ui.tier_views import plain_markdown
from ui.uploader import localise_uploader
from workbook import i18n, intake, overview, privacy
from workbook.money import wan_cell
from workbook.schema import CANONICAL_KEYS, FIELD_BY_KEY, UNREADABLE, Kind, field_label

PAGE = "book"
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "csv", "tsv", "txt"]
BRANCH_DEMO_SIZE = 20_000
ISSUES_AS_TABLE = 20  # up to this many issues are shown in full; more scroll in a grid
MONEY_FIELDS = {key for key, spec in FIELD_BY_KEY.items() if spec.kind == Kind.MONEY}
DATE_FIELDS = {key for key, spec in FIELD_BY_KEY.items() if spec.kind == Kind.DATE}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GBK", "utf-16": "UTF-16"}
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", " ": "whitespace"}

language = lang()

def _error_text(error: intake.BookError) -> str:
    """A BookError's message for st.error (Markdown): the catalogue's words as they are, the values it quotes
    from the file (its name, headers, cells) escaped so that they show as typed."""
    quoted = {key: plain_markdown(value) if isinstance(value, str) else value
              for key, value in error.message_values(language).items()}
    return i18n.t(f"{error.catalogue_prefix}.{error.code}", language, **quoted)


def _source_line(source: intake.SourcePreview | intake.IntakeReport, rows: int) -> str:
    """Which table was read, said in full: the sheet (or the text file's encoding and delimiter) and the header
    row. User strings (the sheet's name) are escaped: the line is Markdown."""
    if source.file_format == "xlsx":
        where = t("book.source_sheet", sheet=plain_markdown(source.sheet or ""))
        if source.hidden:
            where += t("book.source_hidden")
    else:
        delimiter = t(f"book.delimiter.{DELIMITER_NAMES.get(source.delimiter or ',', 'comma')}")
        where = t("book.source_text", encoding=ENCODING_NAMES.get(source.encoding or "", source.encoding or ""),
                  delimiter=delimiter)
    if isinstance(source, intake.SourcePreview) and source.summed:
        return t("book.source_summed", where=where, n=f"{source.summed_rows:,}", customers=f"{rows:,}")
    if source.headerless:
        return t("book.source_headerless", where=where, n=f"{rows:,}")
    return t("book.source_header", where=where, row=source.header_row, n=f"{rows:,}")


def _column_label(preview: intake.SourcePreview, column: str) -> str:
    """A mapping dropdown's label: the source header as typed (escaped: widget labels are Markdown, and a
    header like ![x](http://…) must not fetch anything), or the catalogue's name of a summed column."""
    return plain_markdown(intake.column_label(column, language, preview.summed))


def _mapping_step(preview: intake.SourcePreview, data: bytes, name: str, file_name: str, digest: str,
                  sheet: str | None, per_customer: bool) -> None:
    st.markdown(t("book.mapping_title", name=file_name, n=len(preview.columns)))
    st.caption(_source_line(preview, preview.data_rows))
    if preview.headerless and not preview.summed:
        st.warning(t("book.headerless"), icon=":material/table_rows:")
    if preview.stray_count:
        cells = "、".join(preview.strays) + (" …" if preview.stray_count > len(preview.strays) else "")
        st.warning(t("book.strays", n=f"{preview.stray_count:,}", cells=cells), icon=":material/select_all:")
    if preview.summed:
        st.caption(t("book.log_summed_note"))
    st.caption(t("book.mapping_help"))
    options = ["", *CANONICAL_KEYS]
    option_labels = {"": t("book.ignore")} | {key: field_label(key, language) for key in CANONICAL_KEYS}
    # Widget keys carry the table read: another sheet, or the summed log, starts a fresh mapping.
    token = hashlib.sha256(repr((digest, sheet, per_customer)).encode()).hexdigest()[:12]
    keys = {column: f"book_map_{token}_{position}" for position, column in enumerate(preview.columns)}
    # The mapping as it stands (the last submitted choice, else the suggestion): it decides the questions below.
    current = {column: st.session_state.get(key, preview.suggested.get(column, "")) for column, key in keys.items()}
    unit_columns = preview.unit_question(current)
    grade_column = preview.product_grade_question(current)
    with st.form(f"book_mapping_{token}"):
        grid = st.columns(3)
        choices: dict[str, str] = {}
        for position, column in enumerate(preview.columns):
            suggested = preview.suggested.get(column, "")
            with grid[position % 3]:
                choices[column] = st.selectbox(
                    _column_label(preview, column),
                    options=options,
                    index=options.index(suggested) if suggested in options else 0,
                    format_func=option_labels.__getitem__,
                    key=keys[column],
                )
        unit = grade = None
        if unit_columns:
            median = min(preview.magnitudes[column] for column in unit_columns)
            unit_labels = {1.0: t("book.unit_yuan"), intake.TEN_THOUSAND: t("book.unit_wan")}
            unit = st.radio(
                t("book.unit_question", median=f"{median:,.4g}", columns=plain_markdown("」「".join(
                    intake.column_label(column, language, preview.summed) for column in unit_columns))),
                options=list(unit_labels), index=None, horizontal=True, format_func=unit_labels.__getitem__,
                key=f"book_unit_{token}",
            )
        if grade_column is not None:
            grade_labels = {choice: t(f"book.grade_{choice}") for choice in ("read", "skip")}
            grade = st.radio(
                t("book.grade_question", column=plain_markdown(grade_column)),
                options=list(grade_labels), index=None, format_func=grade_labels.__getitem__,
                key=f"book_grade_{token}",
            )
        with st.expander(t("book.raw_head")):
            head = preview.head
            if preview.summed:
                head = head.rename(columns=lambda column: intake.column_label(column, language, summed=True))
            st.dataframe(head, hide_index=True)
        submitted = st.form_submit_button(t("book.load"), type="primary", icon=":material/check:")
    if not submitted:
        return
    # A submitted form updates its widgets' state before this run, so the questions above were asked for
    # exactly this mapping; an unanswered one holds the load back.
    mapping = {column: key for column, key in choices.items()}
    asked = preview.unit_question(mapping)
    if asked and unit is None:
        st.warning(t("book.unit_missing"), icon=":material/help:")
        return
    if preview.product_grade_question(mapping) is not None and grade is None:
        st.warning(t("book.grade_missing"), icon=":material/help:")
        return
    choice = intake.IntakeChoices(
        sheet=sheet, per_customer=per_customer, units=dict.fromkeys(asked, unit) if unit else {},
        product_grades_as_customer=grade == "read",
    )
    try:
        loaded = intake.read_book(data, name, mapping, choice)
    except intake.BookError as err:
        st.error(_error_text(err), icon=":material/error:")
        st.caption(t("book.kept_previous"))
        return
    mapping_digest = hashlib.sha256(repr((sorted(mapping.items()), choice)).encode()).hexdigest()[:12]
    set_active_book(
        ActiveBook(frame=loaded.book, source="upload", label=name, token=f"upload-{digest[:16]}-{mapping_digest}",
                   report=loaded.report)
    )
    st.rerun()


header(PAGE)
book = active_book()

# ---- which book --------------------------------------------------------------------------------------------
# Side by side on a wide screen; stacked on a projector, where the buttons would be cut to "…" in a side column.
current, choose = flow_columns(2, min_width=380)
with current:
    st.subheader(t("book.current"))
    if book.is_sample:
        st.info(t("book.current_sample", n=len(book.frame)), icon=":material/dataset:")
    else:
        st.success(t("book.current_upload", name=plain_markdown(book.label), n=f"{len(book.frame):,}"),
                   icon=":material/upload_file:")
with choose:
    st.subheader(t("book.switch"))
    if st.button(t("book.use_sample"), key="book_use_sample", icon=":material/dataset:"):
        set_active_book(sample_active_book())
        st.rerun()
    if st.button(t("book.use_branch", n=f"{BRANCH_DEMO_SIZE:,}"), key="book_use_branch", icon=":material/apartment:"):
        set_active_book(sample_active_book(BRANCH_DEMO_SIZE))
        st.rerun()

# ---- upload and mapping ------------------------------------------------------------------------------------
st.subheader(t("book.upload_title"))
st.caption(t("book.privacy_note"))
uploaded = st.file_uploader(t("book.upload_label"), type=UPLOAD_TYPES, key="book_upload", help=t("book.upload_help"))
localise_uploader()  # Streamlit writes the uploader's button and limits in English
if uploaded is not None:
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    file_key = digest[:12]
    file_name = plain_markdown(uploaded.name)  # a file name is the trainee's text: shown as typed, never Markdown

    def _preview(choices: intake.IntakeChoices) -> intake.SourcePreview | intake.BookError:
        try:
            return intake.preview_source(data, uploaded.name, choices)
        except intake.BookError as err:
            return err

    def _previewed(sheet: str | None, per_customer: bool) -> intake.SourcePreview | intake.BookError:
        choices = intake.IntakeChoices(sheet=sheet, per_customer=per_customer)
        return memo("book.preview", (digest, uploaded.name, sheet, per_customer), lambda: _preview(choices))

    found = _previewed(None, False)
    if isinstance(found, intake.BookError):
        st.error(_error_text(found), icon=":material/error:")
        st.caption(t("book.kept_previous"))
    else:
        # Step 1: which table. The sheet intake found is preselected; another may be chosen.
        sheet: str | None = found.sheet
        readable = [info for info in found.sheets if info.readable]
        if len(readable) > 1:
            names = [info.name for info in readable]
            # Labels computed now, so that formatting later never depends on the session's state.
            sheet_labels = {info.name: t("book.sheet_hidden_option", sheet=info.name) if not info.visible
                            else info.name for info in readable}
            sheet = st.selectbox(
                t("book.sheet_choice"), names, index=names.index(found.sheet) if found.sheet in names else 0,
                format_func=sheet_labels.__getitem__, key=f"book_sheet_{file_key}",
            )
        per_customer = False
        preview = found if sheet == found.sheet else _previewed(sheet, False)
        if not isinstance(preview, intake.BookError) and preview.transactions is not None:
            log = preview.transactions
            st.info(t("book.log_detected", share=charts.percent(log.repeat_share), date=plain_markdown(log.date),
                      amount=plain_markdown(log.amount)), icon=":material/receipt_long:")
            per_customer = st.checkbox(t("book.log_sum"), value=True, key=f"book_sum_{file_key}")
            if per_customer:
                preview = _previewed(sheet, True)
            else:
                st.caption(t("book.log_not_summed"))
        if isinstance(preview, intake.BookError):
            st.error(_error_text(preview), icon=":material/error:")
            st.caption(t("book.kept_previous"))
        else:
            _mapping_step(preview, data, uploaded.name, file_name, digest, sheet, per_customer)

# ---- validation report -------------------------------------------------------------------------------------
book = active_book()
report = book.report
if report is not None:
    st.subheader(t("book.report_title"))
    st.caption(t("book.report_source", name=plain_markdown(report.filename)) + _source_line(report, report.rows_read))
    read, kept, mapped, issues = metric_row(4)
    read.metric(t("book.rows_read"), f"{report.rows_read:,}")
    kept.metric(t("book.rows_kept"), f"{report.rows_kept:,}")
    mapped.metric(t("book.fields_mapped"), len(report.fields_mapped))
    issues.metric(t("book.issue_count"), f"{len(report.issues):,}")
    if report.ids_generated:
        st.warning(t("book.ids_generated"), icon=":material/format_list_numbered:")
    if report.scaled:
        st.caption(
            t("book.scaled", fields=t("common.list_sep").join(
                f"{field_label(k, language)}×{v:g}" for k, v in report.scaled.items()
            ))
        )
    if report.unmapped_columns:
        summed = report.transactions > 0
        unmapped = (intake.column_label(column, language, summed) for column in report.unmapped_columns)
        st.caption(t("book.unmapped", columns=plain_markdown(t("common.list_sep").join(unmapped))))
    if report.issues:
        issue_table = report.issue_table(language)
        if len(issue_table) <= ISSUES_AS_TABLE:
            # A few issues: a wrapping table, so every detail sentence (the part to act on) reads in full.
            # st.table renders its cells as Markdown, and cells quote the file: each is escaped to show as typed.
            shown = issue_table.copy()
            for column in (c for c in shown.columns if shown[c].dtype != "Int64"):
                shown[column] = shown[column].map(plain_markdown, na_action="ignore")
            st.table(shown, hide_index=True)
        else:
            st.dataframe(
                issue_table,
                hide_index=True,
                height=min(400, 38 + 35 * len(issue_table)),
                column_config={issue_table.columns[-1]: st.column_config.TextColumn(width="large")},
            )
    else:
        st.success(t("book.no_issues"), icon=":material/task_alt:")

# ---- the book at a glance ----------------------------------------------------------------------------------
st.subheader(t("book.overview_title"))
summary = book_memo("book.overview", overview.overview)
customers, total, median, top5 = metric_row(4)
customers.metric(t("book.customers"), f"{summary.customers:,}")
# Money in 万元 (CNY 10k), the unit in the label: "CNY 243.00m" does not fit a quarter of a 1024-px page.
total.metric(t("book.total_aum"), wan_cell(summary.total_aum))
median.metric(t("book.median_aum"), wan_cell(summary.median_aum))
top5.metric(t("book.top5_share"), charts.percent(summary.top5_aum_share))
st.caption(t("book.concentration_note"))

def _band_chart(frame: pd.DataFrame, language: str) -> go.Figure:
    figure = px.bar(
        overview.aum_bands(frame, language),
        x="band",
        y="customers",
        text="customers",
        labels={"band": t("book.axis_band"), "customers": t("book.axis_customers")},
        title=t("book.chart_bands"),
    )
    # Counts sit above the bars (inside, a short bar's label turns sideways); the bars carry the numbers, so the
    # axis needs no ticks (a 3-customer book would otherwise get 0.2, 0.4 … customers).
    figure.update_traces(textposition="outside", cliponaxis=False)
    figure.update_yaxes(showticklabels=False, rangemode="tozero")
    return charts.style(figure)


def _concentration_chart(frame: pd.DataFrame, language: str) -> go.Figure:
    figure = px.area(
        overview.concentration_curve(frame["aum"]),
        x="customer_share",
        y="aum_share",
        labels={"customer_share": t("book.axis_customer_share"), "aum_share": t("book.axis_aum_share")},
        title=t("book.chart_concentration"),
    )
    figure.update_xaxes(tickformat=".0%")
    figure.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return charts.style(figure)


def _age_chart(frame: pd.DataFrame, language: str) -> go.Figure:
    figure = px.bar(
        overview.age_histogram(frame),
        x="age_from",
        y="customers",
        labels={"age_from": field_label("age", language), "customers": t("book.axis_customers")},
        title=t("book.chart_age"),
    )
    figure.update_traces(offset=0, width=5)  # bars span their 5-year band
    return charts.style(figure)


# Building Plotly figures costs tens of ms each: keep them per session until the book or the language changes.
left, right = flow_columns(2, min_width=420)  # stacked on a projector: each chart keeps a readable width
with left:
    st.plotly_chart(book_memo("book.chart_bands", _band_chart, language), width="stretch")
with right:
    st.plotly_chart(book_memo("book.chart_concentration", _concentration_chart, language), width="stretch")
if "age" in summary.fields_present:
    st.plotly_chart(book_memo("book.chart_age", _age_chart, language), width="stretch")

with st.expander(t("book.fields_title", present=len(summary.fields_present), total=len(CANONICAL_KEYS))):
    separator = t("common.list_sep")
    present = separator.join(field_label(k, language) for k in summary.fields_present)
    st.markdown(t("book.fields_present", fields=present))
    if summary.fields_missing:
        st.markdown(
            t("book.fields_missing", fields=separator.join(field_label(k, language) for k in summary.fields_missing))
        )

# ---- masked preview ----------------------------------------------------------------------------------------
st.subheader(t("book.preview_title"))
st.caption(t("book.masked_note"))
preview_frame = book_memo(
    "book.masked_head",
    lambda frame, lang: values.translate_frame(privacy.mask_frame(frame.head(50).drop(columns=UNREADABLE,
                                                                                        errors="ignore")), lang),
    language,
)
# Money in 万元 with the unit in its header (the course's one unit), dates without a time of day.
money_in_preview = [key for key in preview_frame.columns if key in MONEY_FIELDS]


def _preview_header(key: str) -> str:
    label = field_label(key, language)
    return t("layout.with_unit", label=label, unit=t("unit.wan")) if key in MONEY_FIELDS else label


def _wan_format(key: str) -> str:
    """One decimal of 万元 for balances; two for small amounts (gifts, fees of a few hundred 元) so they show."""
    amounts = pd.to_numeric(preview_frame[key], errors="coerce").abs()
    return "%,.1f" if amounts.median() >= 10_000 else "%,.2f"


preview_config: dict[str, Any] = {
    _preview_header(key): st.column_config.NumberColumn(format=_wan_format(key)) for key in money_in_preview
} | {
    field_label(key, language): st.column_config.DateColumn(format="YYYY-MM-DD")
    for key in preview_frame.columns if key in DATE_FIELDS
}
# Who and how much first: the customer, then AUM, then the rest in the book's order (on a projector the columns at
# the right scroll out of sight).
lead = [key for key in ("customer_id", "name", "aum") if key in preview_frame.columns]
preview_shown = preview_frame[lead + [key for key in preview_frame.columns if key not in lead]].copy()
for key in money_in_preview:
    preview_shown[key] = pd.to_numeric(preview_shown[key], errors="coerce") / 10_000
st.dataframe(
    preview_shown.rename(columns=_preview_header),
    hide_index=True,
    height=360,
    column_config=preview_config,
)

footer(PAGE)
