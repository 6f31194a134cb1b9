"""Claims & sources: contested claims (a claim and its denial) first, then who says what, then the article reader."""

import streamlit as st

from analytics import reader
from analytics.filters import Filters
from ui import links
from ui.cache import figure, q, query
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import coverage_note, listing_box, nothing_to_show, paged_view, table

inside_app()
f = filters()
st.title("Claims & sources")
coverage_note(f)

st.subheader("Contested claims")
st.caption("A claim or accusation linked to its denial or rejection, across sentences and articles: by the incident "
           "both are about, by who accuses whom on a shared theme, or by an answer that follows in the same article. "
           "'Why linked' names the rule.")  # fmt: skip
paged_view("contested", f, "contested claims", empty_note="No claim and denial pairs match the filters.",
           columns=["claim_date", "claim_speaker", "claim_stance", "claim_sentence", "counter_date", "counter_speaker",
                    "counter_stance", "counter_sentence", "reason", "claim_article", "counter_article",
                    "shared_themes", "pair_id"])  # fmt: skip

matrix = q.stance_matrix(f)
if matrix.empty:
    nothing_to_show("statements or attributed records", f, key="claims")
else:
    st.subheader("Who says what")
    st.caption("Statements by their speaker, and other records by the side the text attributes them to.")
    st.plotly_chart(figure("stance_heatmap", query("stance_matrix", f)), key="stance_heatmap")
    st.subheader("Claims, denials and attributions")
    st.caption("Contested items — claimed by one side and denied by another — come first.")
    paged_view("claims", f, "claims",
               columns=["contested", "date", "kind", "type", "speaker", "stance", "targets", "claimed_by", "denied_by",
                        "sentence", "article", "published", "origin"])  # fmt: skip

st.subheader("Article reader")
articles = q.articles(f, limit=500)
if articles.empty:
    nothing_to_show("articles", f, key="reader")
    st.stop()
titles = dict(zip(articles["doc_id"], articles["title"], strict=True))
options = list(titles)
links.choice("reader_article", "reader_article", options, None, what="article for the reader")
if st.session_state.get("reader_article") not in titles:  # first visit, or the filters dropped it
    st.session_state["reader_article"] = f.doc_id if f.doc_id in titles else options[0]
doc_id = st.selectbox("Article", options, format_func=lambda d: f"{titles[d]}", key="reader_article")
links.keep("reader_article", doc_id, options[0])
doc = q.article(doc_id)
sentences = q.article_sentences(doc_id)
markers = reader.record_markers(sentences)
st.caption(f"Published {doc.get('published') or 'date unknown'} · {doc.get('source') or 'source not recorded'}"
           f" · {len(markers)} records from {len(sentences)} sentences. Highlighted sentences produced records; "
           "the badges name them in the records below.")  # fmt: skip
with st.container(border=True, height=520):
    st.markdown(reader.article_markdown(doc.get("text") or "", sentences, markers))
if markers:
    box = listing_box("reader_records", "Show the article's records, by their badges")
    if box.open:
        with box:
            records = q.view_rows("records", Filters(doc_id=doc_id), limit=1000)
            table(reader.with_markers(records, markers), key="reader_records",
                  columns=["marker", "kind", "type", "date", "actors", "sentence_no", "start_char", "end_char",
                           "sentence"])  # fmt: skip
