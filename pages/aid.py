"""Aid: the ledger (each commitment once, in USD and EUR), requests and running totals apart, the figures behind it."""

import streamlit as st

from analytics import queries
from analytics.measures import count_of, money
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import coverage_note, csv_button, nothing_to_show, paged_view, table_on_demand

inside_app()
f = filters()
st.title("Aid")
coverage_note(f)
st.caption("Each commitment counted once, as the Kiel Support Tracker does: the same package reported by many "
           "articles, or in another currency, is one row; a request and its later appropriation are one line, "
           "counted at its furthest stage. Requests, running totals, other recipients' shares and corrections are "
           "shown apart, never added. Amounts are converted at the ECB reference rate of the announcement's date.")  # fmt: skip

head = q.aid_headline(f)
if not head or q.view_count("aid_commitments", f) == 0:
    nothing_to_show("aid figures", f, key="aid")
    st.stop()

cols = st.columns(4)
cols[0].metric("Aid to Ukraine, counted once", queries.aid_counted_text(head),
               help=count_of(head["counted"], "commitment") + ".")  # fmt: skip
cols[0].caption(queries.aid_counted_note(head))
cols[1].metric("Requests (not counted)", f"{head['requests']}",
               help=f"{money(head['requests_usd'], 'USD')} asked for or proposed; counted only once a later stage of "
                    "the same line is reported.")  # fmt: skip
cols[2].metric(
    "Donors with running totals",
    f"{head['total_donors']}",
    help='Totals the texts report ("brings its aid to ..."): each donor\'s latest is shown below, never summed.',
)
cols[3].metric("Kept apart", f"{head['apart']}",
               help="Figures for other recipients, multi-recipient bills without Ukraine's share, figures without a "
                    "donor or where the donor is the recipient, and earlier stages of a counted line.")  # fmt: skip

st.subheader("Aid to Ukraine by donor and stage")
by_stage = q.aid_by_donor_stage(f)
st.plotly_chart(figure("aid_ledger_figure", query("aid_by_donor_stage", f)), key="aid_ledger_chart")
# The tables wait until asked for, like every listing: a grid's code costs the page's first paint.
table_on_demand("aid_by_donor_stage", "Show the amounts by donor and stage", by_stage)

st.subheader("The ledger")
st.caption("One row per commitment, counted ones first; 'Why not counted' says why a row is kept apart. The CSV "
           "holds every row with its line and the reports behind it (aid_ledger_sources in the Data page).")  # fmt: skip
paged_view("aid_commitments", f, "commitments",
           columns=["date", "donor", "recipient", "stage", "aid_type", "amount", "currency", "amount_usd", "amount_eur",
                    "rate_date", "counted", "excluded_reason", "n_reports", "n_articles", "series", "line_id",
                    "commitment_id"])  # fmt: skip

totals = q.aid_running_totals(f)
if len(totals):
    st.subheader("Running totals")
    st.caption(
        "Each donor's totals as reported, the latest marked: a series to read, never added to the ledger."
    )
    csv_button("aid_running_totals", f, len(totals), table_name="aid_running_totals")
    table_on_demand("aid_running_totals", "Show the running totals", totals)

corrections = q.aid_corrections(f)
if len(corrections):
    with st.container(border=True):
        st.markdown(
            "**Corrections** — revisions of earlier figures, shown as corrections and never counted as new aid"
        )
        table_on_demand("aid_corrections", "Show the corrections", corrections,
                        columns=["date", "donor", "recipient", "cue", "amount", "currency", "sentence", "article"])  # fmt: skip

st.subheader("Figures and the sentences behind them")
paged_view("aid", f, "aid figures", columns=["date", "record_type", "donor", "recipient", "cue", "amount", "currency",
                                            "aid_type", "approximate", "sentence", "article", "published",
                                            "origin"])  # fmt: skip
