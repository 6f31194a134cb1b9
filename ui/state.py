"""Filter state: sidebar widgets, read from the URL when a session starts and written back on every run.

The query string is the source of truth only when a session opens (a shared link, a reload);
after that the widgets are, and each run writes them back to the URL. Writing on every run also
restores the parameters that st.navigation drops when the analyst switches page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.filters import CONFIDENT, KINDS, QUERY_KEYS, SCOPES, Filters, from_query, to_query
from analytics.measures import KIND_LABELS, origin_label
from ui import links
from ui.cache import q

KEYS = {
    "actors": "f_actor",
    "actor_scope": "f_scope",
    "themes": "f_theme",
    "theatres": "f_theatre",
    "kinds": "f_kind",
    "origins": "f_origin",
    "date_from": "f_from",
    "date_to": "f_to",
    "date_match": "f_dates",
    "doc_id": "f_article",
    "all_records": "f_all_records",
}
SCOPE_LABELS = {
    "side": "Its side, as the data records it",
    "country": "Also every actor based in its country (e.g. Wagner Group with Russia)",
}
NOTICES = links.NOTICES
LOADED = "_url_loaded"


def _put(f: Filters) -> None:
    ss = st.session_state
    ss[KEYS["actors"]] = list(f.actors)
    ss[KEYS["actor_scope"]] = f.actor_scope
    ss[KEYS["themes"]] = list(f.themes)
    ss[KEYS["theatres"]] = list(f.theatres)
    ss[KEYS["kinds"]] = list(f.kinds)
    ss[KEYS["origins"]] = list(f.origins)
    ss[KEYS["date_from"]] = f.date_from
    ss[KEYS["date_to"]] = f.date_to
    ss[KEYS["date_match"]] = f.date_match == "overlapping"  # the widget is a toggle
    ss[KEYS["doc_id"]] = f.doc_id
    ss[KEYS["all_records"]] = not f.all_records  # the widget says "confident records only"


def load_from_url(vocab: dict[str, list[str]]) -> None:
    """Once per session: the filters a link carries, validated against the database's vocabularies."""
    if st.session_state.get(LOADED):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    f, notices = from_query(
        params, actors=vocab["actors"], themes=vocab["themes"], theatres=vocab["theatres"],
        origins=vocab.get("origins", ()), article_exists=lambda doc_id: q.article_exists(doc_id),
        also_known=links.is_page_key,
    )  # fmt: skip
    links.remember_link(params)
    _put(f)
    st.session_state[NOTICES] = notices
    st.session_state[LOADED] = True


def clear_filters() -> None:
    """Back to everything: a callback, so it runs before the widgets are drawn again."""
    _put(Filters())
    st.session_state[NOTICES] = []
    st.query_params.clear()


def current() -> Filters:
    ss = st.session_state
    date_from, date_to = ss.get(KEYS["date_from"]), ss.get(KEYS["date_to"])
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    return Filters(
        actors=tuple(ss.get(KEYS["actors"]) or ()),
        actor_scope=ss.get(KEYS["actor_scope"]) or "side",
        themes=tuple(ss.get(KEYS["themes"]) or ()),
        theatres=tuple(ss.get(KEYS["theatres"]) or ()),
        kinds=tuple(ss.get(KEYS["kinds"]) or ()),
        origins=tuple(ss.get(KEYS["origins"]) or ()),
        date_from=date_from,
        date_to=date_to,
        date_match="overlapping" if ss.get(KEYS["date_match"]) else "start",
        doc_id=ss.get(KEYS["doc_id"]) or None,
        all_records=not ss.get(KEYS["all_records"], True),
    )


def write_url(f: Filters) -> None:
    """The filters into the URL; the page's own controls (ui/links.py) keep their parameters."""
    target = to_query(f)
    for key in QUERY_KEYS:
        values = target.get(key, [])
        if st.query_params.get_all(key) != values:
            if values:
                st.query_params[key] = values
            elif key in st.query_params:
                del st.query_params[key]


def sidebar_filters(vocab: dict[str, list[str]]) -> Filters:
    """The filter widgets every page shares; returns the filters they hold."""
    load_from_url(vocab)
    with st.sidebar:
        st.subheader("Filters")
        actors = st.multiselect(
            "Actor", vocab["actors"], key=KEYS["actors"], placeholder="Any actor",
            help="A record matches when the actor, anything that names it (Kyiv, Zelensky) or anything "
                 "that acts for its side (Pentagon for the United States) takes part.",
        )  # fmt: skip
        if actors:
            st.radio(
                "Count with the actor",
                SCOPES,
                key=KEYS["actor_scope"],
                format_func=SCOPE_LABELS.get,
                help="Wagner Group is on Russia's side only if the data says so: choose how to count it.",
            )
            reach = q.actor_reach(actors)
            scope = st.session_state.get(KEYS["actor_scope"], "side")
            for row in reach.itertuples():
                if row.relation == "same country" and scope != "country":
                    continue
                st.caption(f"{row.name} — {row.relation}: {_short(row.matches)}")
        st.multiselect("Theme", vocab["themes"], key=KEYS["themes"], placeholder="Any theme")
        st.multiselect("Theatre", vocab["theatres"], key=KEYS["theatres"], placeholder="Any theatre")
        st.multiselect(
            "Kind", list(KINDS), key=KEYS["kinds"], format_func=KIND_LABELS.get, placeholder="Any kind"
        )
        origins = vocab.get("origins", [])
        # An origin picked earlier that the database no longer holds stays listed, so the widget keeps it.
        gone = [o for o in st.session_state.get(KEYS["origins"]) or () if o not in origins]
        st.multiselect("Origin", [*origins, *gone], key=KEYS["origins"], format_func=origin_label,
                       placeholder="Any origin",
                       help="Records extracted from article text, or imported from a dataset (ACLED, GDELT, "
                            "Eyes on Russia) on the Data page or with `python -m analytics import`.")  # fmt: skip
        # One above the other: side by side in the sidebar, a date was cut to "2023 - 0".
        st.date_input("From", value=None, key=KEYS["date_from"], min_value=dt.date(1900, 1, 1),
                      max_value=dt.date(2100, 1, 1), format="YYYY-MM-DD")  # fmt: skip
        st.date_input("To", value=None, key=KEYS["date_to"], min_value=dt.date(1900, 1, 1),
                      max_value=dt.date(2100, 1, 1), format="YYYY-MM-DD")  # fmt: skip
        st.toggle(
            "Also records whose period overlaps",
            key=KEYS["date_match"],
            disabled=not (st.session_state.get(KEYS["date_from"]) or st.session_state.get(KEYS["date_to"])),
            help="Off: a record is in the range when its own date is (a stated span, such as a two-month "
            "extension, by its start). On: also every record whose period, or span, touches the range.",
        )
        articles = q.articles(Filters(), limit=500)
        titles = dict(zip(articles["doc_id"], articles["title"], strict=True))
        chosen = st.session_state.get(KEYS["doc_id"])
        if chosen and chosen not in titles:
            titles[chosen] = q.article_title(chosen) or chosen
        st.selectbox("Article", [None, *titles], key=KEYS["doc_id"], placeholder="Any article",
                     format_func=lambda d: "Any article" if d is None else _short(titles.get(d) or d, 70))  # fmt: skip
        st.toggle("Confident records only", key=KEYS["all_records"],
                  help=f"On: counts, charts and listings use the records the extraction rules are at least "
                       f"{CONFIDENT:.0%} sure of (imported datasets' rows always). Off: every record, with its "
                       "confidence in the listings.")  # fmt: skip
        f = current()
        st.button(
            "Clear filters", on_click=clear_filters, disabled=f.is_empty(), icon=":material/filter_alt_off:"
        )
    write_url(f)
    return f


def _short(text: str, n: int = 140) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def filters() -> Filters:
    """The filters app.py read from the sidebar on this run."""
    return st.session_state.get("filters") or current()
