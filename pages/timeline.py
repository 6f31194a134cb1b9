"""Timeline: records per month, and on demand every record on its day with its precision, spans and sentence."""

import streamlit as st

from analytics import queries
from ui import links
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import count_unit, coverage_note, nothing_to_show, paged_view, table

VIEWS = ["Per month", "Each record"]
VIEW_KEY = "timeline_view"


def _each_record(f, n: int) -> None:
    """Every record on its day (a bar for a period or a span); picked points listed below."""
    if n > queries.TIMELINE_MAX_POINTS:
        st.caption(f"{n:,} records match: too many to draw one by one. Narrow the filters (actor, theme, "
                   "dates) to see each record; “Per month” counts them all.")  # fmt: skip
        return
    links.choice("colour", "timeline_colour", ["kind", "theme"], "kind", what="colour")
    colour_by = st.radio("Colour by", ["kind", "theme"], horizontal=True, key="timeline_colour",
                         format_func=str.capitalize)  # fmt: skip
    links.keep("colour", colour_by, "kind")
    st.caption("Points: records dated to the day. Bars: records known only to the week, month or year, drawn over "
               "the whole period they may cover, and stated spans (such as an extension's two months). Hover for "
               "the sentence and article; click or box-select to read them below.")  # fmt: skip
    fig = figure("timeline_figure", query("timeline_records", f), colour_by, f.date_from, f.date_to)
    event = st.plotly_chart(fig, key="timeline_chart", on_select="rerun", selection_mode=("points", "box"))
    picked = [p["customdata"][0] for p in (event.selection.points if event else []) if p.get("customdata")]
    if picked:
        st.subheader("Selected records")
        table(q.record_details(picked), key="timeline_selected",
              columns=["date", "date_precision", "kind", "type", "sentence", "article", "published"])  # fmt: skip


inside_app()
f = filters()
st.title("Timeline")
coverage_note(f)
n = q.record_count(f)
if n == 0:
    nothing_to_show("records", f, key="timeline")
    st.stop()

# Counts first, each record on demand: the points view draws every record with its sentence (about
# 0.3 s more in the browser at corpus size than the monthly bars), so it is a tab of its own, built
# when opened and kept in the link as `view=Each record` (a link that colours the points opens it).
links.choice("view", VIEW_KEY, VIEWS, VIEWS[0], what="view")
if links.waiting("colour"):
    st.session_state[VIEW_KEY] = VIEWS[1]
unit = count_unit("timeline_unit")
per_month, each = st.tabs(VIEWS, key=VIEW_KEY, on_change="rerun")
links.keep("view", st.session_state.get(VIEW_KEY), VIEWS[0])
if per_month.open:
    with per_month:
        st.caption("Records per month, stacked by kind"
                   f"{' (events as incidents, each occurrence once)' if unit == 'incidents' else ''}; the dotted "
                   "line counts the source articles of each month. Open “Each record” to see every record on its "
                   "day and read the ones you pick.")  # fmt: skip
        st.plotly_chart(figure("monthly_figure", query("timeline_monthly_by", f, unit), height=380,
                               articles=query("articles_per_month", f.date_from, f.date_to)),
                        key="timeline_monthly")  # fmt: skip
if each.open:
    with each:
        _each_record(f, n)

st.subheader("Incidents")
st.caption("Each occurrence once: reports of the same kind of event at a compatible place and date, from any "
           "number of articles. Pick one to see its reports and why each was joined.")  # fmt: skip
shown = paged_view("incidents", f, "incidents", empty_note="No event reports match the filters.",
                   columns=["date", "event_type", "sub_event_type", "location", "theatre", "n_reports", "n_articles",
                            "n_outlets", "sides", "claimed_by", "denied_by", "n_corroborating", "origin",
                            "corrected", "incident_id"], opens_with=("incident",))  # fmt: skip
if shown is not None:
    links.choice("incident", "timeline_incident", [None, *shown["incident_id"]], None, what="incident")
    picked = st.selectbox("Reports behind", [None, *shown["incident_id"]], key="timeline_incident",
                          format_func=lambda i: "Choose an incident" if i is None else i)  # fmt: skip
    links.keep("incident", picked)
    if picked:
        table(q.incident_reports(picked), key="timeline_incident_reports",
              columns=["date", "type", "location", "reason", "sentence", "article", "published"])  # fmt: skip

st.subheader("Records")
paged_view("records", f, "records")
