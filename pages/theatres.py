"""Theatres: events by theatre and place, with a drill-down and a map that needs no tiles (outlines ship with it)."""

import streamlit as st

from analytics import charts, queries
from ui import links
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import count_unit, coverage_note, nothing_to_show, paged_view

VIEWS = ["By theatre and place", "Map"]
VIEW_KEY = "theatres_view"

inside_app()
f = filters()
st.title("Theatres")
coverage_note(f)
unit = count_unit("theatres_unit")
places = q.theatre_places_by(f, unit)
if places.empty:
    nothing_to_show("events", f, key="theatres")
    st.stop()

# The map is a tab of its own, built only when opened: its 1,300 points cost about as much to draw
# as the rest of the page together, and moving to this page paid for them every time.
links.choice("view", VIEW_KEY, VIEWS, VIEWS[0], what="view")
by_place, on_map = st.tabs(VIEWS, key=VIEW_KEY, on_change="rerun")
links.keep("view", st.session_state.get(VIEW_KEY), VIEWS[0])
if by_place.open:
    with by_place:
        left, right = st.columns([3, 2])
        with left:
            st.subheader(("Incidents" if unit == "incidents" else "Event reports") + " by theatre and place")
            st.caption("Click a theatre to drill down to its places; click the top bar to go back."
                       + (" Each incident sits at its most specific place." if unit == "incidents" else ""))  # fmt: skip
            st.plotly_chart(
                figure("theatre_treemap", query("theatre_places_by", f, unit)), key="theatre_treemap"
            )
        with right:
            theatres = [None, *queries.theatres_of(places)]
            links.choice("drill", "theatre_drill", theatres, None, what="theatre to drill down to")
            theatre = st.selectbox("Drill down to", theatres, key="theatre_drill",
                                   format_func=lambda t: "All theatres" if t is None else t)  # fmt: skip
            links.keep("drill", theatre)
            st.plotly_chart(
                figure("places_bar", query("theatre_places_by", f, unit), theatre), key="theatre_bar"
            )
if on_map.open:
    with on_map:
        st.subheader("Located event reports")
        points = q.map_places(f)
        mapped, total = int(points["events"].sum()) if len(points) else 0, q.incident_count(f)["reports"]
        st.caption(f"{mapped:,} of {total:,} event reports at {len(points):,} points. Imported events sit at their "
                   "dataset's own coordinates, extracted ones at their place's; "
                   f"{total - mapped:,} events whose place is not named or has no coordinates are counted above but "
                   "not mapped. Country borders and oblast outlines are Natural Earth's (public domain), shipped with "
                   "the dashboard, so the map needs no tiles and no network; grey squares are landmark cities.")  # fmt: skip
        if 0 < (outside := charts.outside_window(points)) <= 0.25 * mapped:
            st.caption(f"{outside:,} of these reports are at places outside this view (Washington, Beijing, …): "
                       "the chart's Autoscale button shows them.")  # fmt: skip
        st.plotly_chart(
            figure("events_map", query("map_places", f), query("map_landmarks")), key="theatre_map"
        )

if unit == "incidents":
    st.subheader("Incidents")
    paged_view("incidents", f, "incidents",
               columns=["date", "event_type", "sub_event_type", "location", "theatre", "n_reports", "n_articles",
                        "n_outlets", "sides", "origin", "incident_id"])  # fmt: skip
else:
    st.subheader("Events")
    paged_view("events", f, "events")
