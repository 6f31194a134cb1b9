"""Article reader: one article, opened at the sentence a link names, with the records that sentence gave."""

import streamlit as st

from analytics import queries, reader
from analytics.filters import Filters
from ui import links
from ui.db import cursor
from ui.shell import inside_app
from ui.state import filters
from ui.widgets import csv_button, nothing_to_show, table

inside_app()
f = filters()
ss = st.session_state

# From a link (a listing row's "Open ↗", a search result): the article and the sentence, checked here.
raw_doc, raw_sentence = links.take("doc"), links.take("sentence")
if raw_doc is not None:
    if len(raw_doc) <= 64 and raw_doc.isalnum() and queries.article_exists(cursor(), raw_doc):
        ss["reader_doc"] = raw_doc
        ss["reader_sentence"] = None
    else:
        links.add_notice(f"unknown article {raw_doc[:30]!r}")
        raw_sentence = None
if raw_sentence is not None:
    ss["reader_sentence"] = int(raw_sentence) if raw_sentence.isdigit() else -1

st.title("Article reader")
articles = queries.articles(cursor(), f, limit=500)
titles = dict(zip(articles["doc_id"], articles["title"], strict=True))
doc_id = ss.get("reader_doc")
if doc_id and doc_id not in titles:  # opened by a link: listed even when the filters would leave it out
    titles = {doc_id: queries.article_title(cursor(), doc_id) or doc_id, **titles}
if not titles:
    nothing_to_show("articles", f, key="reader")
    st.stop()
options = list(titles)
if ss.get("reader_doc") not in titles:
    ss["reader_doc"] = options[0]


def _article_changed() -> None:
    ss["reader_sentence"] = None  # another article: no sentence is opened in it


doc_id = st.selectbox("Article", options, key="reader_doc", format_func=lambda d: titles[d] or d,
                      on_change=_article_changed)  # fmt: skip
links.keep("doc", doc_id)
doc = queries.article(cursor(), doc_id)
sentences = queries.article_sentences(cursor(), doc_id)
text = doc.get("text") or ""
focus = ss.get("reader_sentence")
if focus is not None and focus not in set(sentences["sentence_no"]):
    links.add_notice(f"sentence {focus if focus >= 0 else raw_sentence!r} is not in this article "
                     f"(it has {len(sentences):,}); showing the article from its start")  # fmt: skip
    focus = ss["reader_sentence"] = None
links.keep("sentence", focus)

url = doc.get("url") or ""
meta = [f"Published {doc.get('published') or 'date unknown'}", doc.get("outlet") or "outlet not recorded"]
st.caption(" · ".join(reader.escape_markdown(str(m)) for m in meta))
if url.startswith(("https://", "http://")):
    st.link_button("Original article", url, icon=":material/open_in_new:")

markers = reader.record_markers(sentences)
if focus is not None:
    st.subheader(f"Sentence {focus}")
    with st.container(border=True):
        for no, sentence in reader.context(sentences, text, focus):
            body = reader.escape_markdown(sentence).replace("\n", " ")
            st.markdown(f"**{body}**" if no == focus else f":gray[{body}]")
    here = queries.view_rows(cursor(), "records", Filters(doc_id=doc_id, all_records=True), limit=1000)
    here = here[here["sentence_no"] == focus]
    if len(here):
        st.caption(f"{len(here)} record{'s' if len(here) != 1 else ''} from this sentence:")
        table(reader.with_markers(here, markers), key="reader_focus_records",
              columns=["marker", "kind", "type", "date", "actors", "location", "confidence", "record_id"], reader_links=False)  # fmt: skip
    else:
        st.caption("No record was extracted from this sentence.")

st.subheader("The article")
article_filter = Filters(doc_id=doc_id, all_records=True)
csv_button("records", article_filter, queries.record_count(cursor(), article_filter))
st.caption(f"{len(markers)} records from {len(sentences)} sentences. Highlighted sentences produced records"
           + ("; the opened sentence is in red." if focus is not None else "."))  # fmt: skip
with st.container(border=True, height=520):
    st.markdown(reader.article_markdown(text, sentences, markers, focus=focus))
