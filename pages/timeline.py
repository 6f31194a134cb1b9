"""Timeline: every record on a time axis, with its date precision and spans, and its sentence."""

import streamlit as st

from analytics import queries
from ui import links
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import count_unit, coverage_note, nothing_to_show, paged_view, table

inside_app()
f = filters()
st.title("Timeline")
coverage_note(f)
n = q.record_count(f)
if n == 0:
    nothing_to_show("records", f, key="timeline")
    st.stop()

left, right = st.columns(2)
links.choice("colour", "timeline_colour", ["kind", "theme"], "kind", what="colour")
colour_by = left.radio("Colour by", ["kind", "theme"], horizontal=True, key="timeline_colour",
                       format_func=str.capitalize)  # fmt: skip
links.keep("colour", colour_by, "kind")
with right:
    unit = count_unit("timeline_unit")
if n > queries.TIMELINE_MAX_POINTS:
    st.caption(f"{n:,} records match: too many to draw one by one, so they are counted per month"
               f"{' (events as incidents, each occurrence once)' if unit == 'incidents' else ''}. "
               "Narrow the filters (actor, theme, dates) to see each record.")  # fmt: skip
    st.plotly_chart(figure("monthly_figure", query("timeline_monthly_by", f, unit), height=380,
                           articles=query("articles_per_month", f.date_from, f.date_to)),
                    key="timeline_monthly")  # fmt: skip
else:
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
