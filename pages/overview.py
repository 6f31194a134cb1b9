"""Overview: headline counts, the latest items, a small timeline and what the corpus covers."""

import streamlit as st

from analytics import queries
from analytics.measures import KIND_LABELS, count_of, origin_label
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import (
    count_unit,
    coverage_note,
    csv_button,
    latest_items,
    nothing_to_show,
    table_on_demand,
)

inside_app()
f = filters()
st.title("Overview")
st.caption("Events, aid figures, diplomatic items and statements extracted from news articles about the war "
           "in Ukraine, each tied to the sentence it came from.")  # fmt: skip
coverage_note(f, always=True)

counts = q.overview_counts(f)
occurrences = q.incident_count(f)
aid = q.aid_headline(f)
unit = count_unit("overview_unit")
cols = st.columns(5)
if unit == "incidents":
    cols[0].metric("Incidents", f"{occurrences['incidents']:,}",
                   help=f"Each occurrence once, from {occurrences['reports']:,} event reports.")  # fmt: skip
else:
    cols[0].metric("Event reports", f"{counts['events']:,}",
                   help=f"Every sentence reporting an event; {occurrences['incidents']:,} incidents.")  # fmt: skip
cols[1].metric("Aid to Ukraine", queries.aid_counted_text(aid),
               help="Commitments counted once (the aid ledger: one row per package, whatever the currency or the "
                    "number of reports), at each announcement's ECB reference rate. Requests, running totals, other "
                    "recipients' shares and corrections are on the Aid page, never added here.")  # fmt: skip
cols[1].caption(queries.aid_counted_note(aid))
cols[2].metric("Diplomatic items", f"{counts['items']:,}",
               help="Summits, talks, visits, sanctions and agreements held or going on. Planned ones are not "
                    "counted here; the Diplomacy page lists them.")  # fmt: skip
if counts["planned_items"]:
    cols[2].caption(f"and {count_of(counts['planned_items'], 'planned item')}, not counted")
cols[3].metric("Statements", f"{counts['statements']:,}")
cols[4].metric("Articles", f"{counts['articles']:,}")
if aid.get("requests") or aid.get("total_donors") or aid.get("apart"):
    st.caption(f"Not added to aid: {count_of(aid.get('requests'), 'request')}, running totals from "
               f"{count_of(aid.get('total_donors'), 'donor')}, {count_of(aid.get('apart'), 'figure')} kept apart (other recipients, "
               "no donor, earlier stages of a counted line) — see the Aid page.")  # fmt: skip

if sum(counts[k] for k in ("events", "figures", "items", "statements")) == 0:
    nothing_to_show("records", f, key="overview")
else:
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Latest items")
        csv_button("records", f, q.record_count(f))  # every record under the filters, cited
        # What happened, newest first: a planned item ("a summit next June") is dated ahead of every
        # report and would head the list; the Diplomacy page lists the planned ones.
        rows = q.view_rows("records", f, limit=40)
        latest_items(rows[rows["factuality"] != "planned"].head(10))
    with right:
        st.subheader("Records and source articles per month")
        st.plotly_chart(figure("monthly_figure", query("timeline_monthly_by", f, unit),
                               articles=query("articles_per_month", f.date_from, f.date_to)),
                        key="overview_monthly")  # fmt: skip

st.subheader("What the corpus covers")
cover = q.coverage()
st.markdown(
    f"**{cover.get('articles') or 0:,} articles**, published {cover.get('first_published') or '—'} to "
    f"{cover.get('last_published') or '—'}; **{cover.get('records') or 0:,} records**, about dates from "
    f"{cover.get('first_record_date') or '—'} to {cover.get('last_record_date') or '—'} (some sentences refer "
    "to history before the war)."
)
for origin, documents, kinds in queries.origin_summary(q.coverage_by_origin()):
    what = " · ".join(f"{n:,} {KIND_LABELS[k].lower()}" for k, n in kinds.items())
    if origin == "extracted":
        st.markdown(f"- **Extracted from {documents:,} articles**: {what}")
    else:
        st.markdown(f"- **{origin_label(origin)}**: {what} (from {documents:,} imported rows)")
src = q.sources()
if len(src):
    table_on_demand("sources", "Show the sources (outlets and datasets)", src)
