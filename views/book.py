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
from ui.state import ActiveBook, active_book, book_memo, lang, memo, sample_active_book, set_active_book, t
from ui.uploader import localise_uploader
from workbook import intake, overview, privacy
from workbook.schema import CANONICAL_KEYS, FIELD_BY_KEY, Kind, field_label

PAGE = "book"
UPLOAD_TYPES = ["xlsx", "xlsm", "xls", "csv", "tsv", "txt"]
BRANCH_DEMO_SIZE = 20_000
ISSUES_AS_TABLE = 20  # up to this many issues are shown in full; more scroll in a grid
MONEY_FIELDS = {key for key, spec in FIELD_BY_KEY.items() if spec.kind == Kind.MONEY}
DATE_FIELDS = {key for key, spec in FIELD_BY_KEY.items() if spec.kind == Kind.DATE}

header(PAGE)
language = lang()
book = active_book()

# ---- which book --------------------------------------------------------------------------------------------
current, choose = st.columns([3, 2], gap="large")
with current:
    st.subheader(t("book.current"))
    if book.is_sample:
        st.info(t("book.current_sample", n=len(book.frame)), icon=":material/dataset:")
    else:
        st.success(t("book.current_upload", name=book.label, n=len(book.frame)), icon=":material/upload_file:")
with choose:
    st.subheader(t("book.switch"))
    if st.button(t("book.use_sample"), key="book_use_sample", icon=":material/dataset:"):
        set_active_book(sample_active_book())
        st.rerun()
    if st.button(t("book.use_branch", n=BRANCH_DEMO_SIZE), key="book_use_branch", icon=":material/apartment:"):
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

    def _preview() -> intake.SourcePreview | intake.BookError:
        try:
            return intake.preview_source(data, uploaded.name)
        except intake.BookError as err:
            return err

    preview = memo("book.preview", (digest, uploaded.name), _preview)
    if isinstance(preview, intake.BookError):
        st.error(preview.text(language), icon=":material/error:")
        st.caption(t("book.kept_previous"))
    else:
        st.markdown(t("book.mapping_title", name=uploaded.name, n=len(preview.columns)))
        st.caption(t("book.mapping_help"))
        options = ["", *CANONICAL_KEYS]
        option_labels = {"": t("book.ignore")} | {key: field_label(key, language) for key in CANONICAL_KEYS}
        with st.form(f"book_mapping_{digest[:12]}"):
            grid = st.columns(3)
            choices: dict[str, str] = {}
            for position, column in enumerate(preview.columns):
                suggested = preview.suggested.get(column, "")
                with grid[position % 3]:
                    choices[column] = st.selectbox(
                        column,
                        options=options,
                        index=options.index(suggested) if suggested in options else 0,
                        format_func=option_labels.__getitem__,
                        key=f"book_map_{digest[:12]}_{position}",
                    )
            with st.expander(t("book.raw_head")):
                st.dataframe(preview.head, hide_index=True)
            submitted = st.form_submit_button(t("book.load"), type="primary", icon=":material/check:")
        if submitted:
            mapping = {column: key for column, key in choices.items()}
            try:
                loaded = intake.read_book(data, uploaded.name, mapping)
            except intake.BookError as err:
                st.error(err.text(language), icon=":material/error:")
                st.caption(t("book.kept_previous"))
            else:
                mapping_digest = hashlib.sha256(repr(sorted(mapping.items())).encode()).hexdigest()[:12]
                set_active_book(
                    ActiveBook(
                        frame=loaded.book,
                        source="upload",
                        label=uploaded.name,
                        token=f"upload-{digest[:16]}-{mapping_digest}",
                        report=loaded.report,
                    )
                )
                st.rerun()

# ---- validation report -------------------------------------------------------------------------------------
book = active_book()
report = book.report
if report is not None:
    st.subheader(t("book.report_title"))
    read, kept, mapped, issues = st.columns(4)
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
        st.caption(t("book.unmapped", columns=t("common.list_sep").join(report.unmapped_columns)))
    if report.issues:
        issue_table = report.issue_table(language)
        if len(issue_table) <= ISSUES_AS_TABLE:
            # a few issues: a wrapping table, so every detail sentence (the part to act on) reads in full
            st.table(issue_table, hide_index=True)
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
customers, total, median, top5 = st.columns(4)
customers.metric(t("book.customers"), f"{summary.customers:,}")
total.metric(t("book.total_aum"), charts.money(summary.total_aum, language))
median.metric(t("book.median_aum"), charts.money(summary.median_aum, language))
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
left, right = st.columns(2)
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
    "book.masked_head", lambda frame, lang: values.translate_frame(privacy.mask_frame(frame.head(50)), lang), language
)
# Money with thousands separators (whole 元), dates without a time of day.
preview_config: dict[str, Any] = {
    field_label(key, language): st.column_config.NumberColumn(format="%,.0f")
    for key in preview_frame.columns if key in MONEY_FIELDS
} | {
    field_label(key, language): st.column_config.DateColumn(format="YYYY-MM-DD")
    for key in preview_frame.columns if key in DATE_FIELDS
}
st.dataframe(
    preview_frame.rename(columns=lambda key: field_label(key, language)),
    hide_index=True,
    height=360,
    column_config=preview_config,
)

footer(PAGE)
