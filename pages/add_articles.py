"""Add articles: upload several .txt, .md or .html files; each is stored whole or not at all, and reported."""

import math

import streamlit as st

from analytics.corpus import max_article_bytes
from analytics.ingest import results_rows, summary
from analytics.measures import size_text
from ui.shell import inside_app
from ui.source import uploads_off
from ui.uploads import add_uploads, cut_off_notice

RESULTS = "_upload_results"
ROUND = "_upload_round"  # a new key empties the uploader once its files are in

inside_app()
st.title("Add articles")
limit = max_article_bytes()
st.caption(
    "Text (.txt: the first line is the title), Markdown (.md, with optional front matter: title, published, "
    f"source, url) or saved web pages (.html), up to {size_text(limit)} each. The same article is stored once; "
    "each goes in whole or not at all, and a file that cannot be read is listed with the reason. New records "
    "show on every page as soon as they are in."
)  # fmt: skip

if uploads_off("Adding articles"):  # the cause, in its own words, and Retry when it may end
    st.stop()
cut_off_notice()

ss = st.session_state
ss.setdefault(ROUND, 0)
files = st.file_uploader(
    "Articles", type=["txt", "md", "html", "htm"], accept_multiple_files=True, key=f"upload_{ss[ROUND]}",
    max_upload_size=max(1, math.ceil(limit / 2**20)),
    help="Files are read in memory and never saved under their own names.",
)  # fmt: skip
if files and st.button(f"Add {len(files)} file{'s' if len(files) != 1 else ''}", type="primary",
                       icon=":material/upload:", key="upload_go"):  # fmt: skip
    bar = st.progress(0.0, text="Waiting for the database…")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=f"File {done + 1} of {total}: {name}" if name else "Done")

    try:
        results = add_uploads(files, progress)  # journaled: a cut-off upload is named after a restart
    finally:
        # Whatever went in, no page may go on showing cached vocabularies or article lists without it.
        st.cache_data.clear()
    ss[RESULTS] = (summary(results).splitlines()[0], results_rows(results))
    ss[ROUND] += 1
    st.rerun()

if ss.get(RESULTS):
    line, rows = ss[RESULTS]
    if any(r["status"] == "failed" for r in rows):
        st.warning(f"Last upload: {line}. The table says why.", icon=":material/report:")
    else:
        st.success(f"Last upload: {line}.", icon=":material/task_alt:")
    st.dataframe(rows, hide_index=True, key="upload_results", column_config={
        "file": st.column_config.TextColumn("File"),
        "status": st.column_config.TextColumn("Result"),
        "records": st.column_config.NumberColumn("Records", format="%d"),
        "reason": st.column_config.TextColumn("Why it was not added", width="large"),
        "doc_id": st.column_config.TextColumn("Article id"),
    })  # fmt: skip
