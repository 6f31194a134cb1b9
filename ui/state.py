"""Filter state: sidebar widgets, read from the URL when a session starts and written back on every run.

The query string is the source of truth only when a session opens (a shared link, a reload);
after that the widgets are, and each run writes them back to the URL. Writing on every run also
restores the parameters that st.navigation drops when the analyst switches page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.filters import DIMENSIONS, KINDS, QUERY_KEYS, Filters, from_query, to_query
from ui import links
from ui.cache import q

# Each dimension's widget key in st.session_state (analytics/filters.py declares them).
KEYS = {d.name: d.key for d in DIMENSIONS}
SCOPE_LABELS = {
    "side": "Its side, as the data records it",
    "country": "Also every actor based in its country (e.g. Wagner Group with Russia)",
}
NOTICES = links.NOTICES
LOADED = "_url_loaded"
# The rarer filters sit in a "More filters" expander whose widgets are drawn only while it is open:
# each multiselect, selectbox and toggle drawn costs the first paint of every page (six multiselects
# were ~1.2x a hello-world page's fresh open on their own, two ~1.1x). A widget that is not drawn
# loses its session state at the end of the run, so their values are also kept under KEPT: a link
# or an earlier choice still filters while the expander is closed, and the URL holds them.
MORE = ("theatres", "kinds", "origins", "doc_id", "all_records")
MORE_KEY = "_more_filters"
KEPT = "_more_filters_kept"
DRAWN = "_more_filters_drawn"  # whether the last run drew them (then their widgets hold the newest values)


def _to_widget(d, value):
    if d.widget == "multiselect":
        return list(value)
    if d.widget == "toggle":
        return value == d.on
    return value


def _rarer_set(f: Filters) -> list:
    """The rarer filters (under More filters) that `f` sets."""
    unset = Filters()
    return [d for d in DIMENSIONS if d.name in MORE and getattr(f, d.name) != getattr(unset, d.name)]


def _values() -> dict:
    """The widgets' values; a rarer filter's from KEPT while its widget is not drawn."""
    ss = st.session_state
    return {**{d.key: ss[d.key] for d in DIMENSIONS if d.key in ss}, **(ss.get(KEPT) or {})}


def _from_widget(d, ss):
    if d.widget == "multiselect":
        return tuple(ss.get(d.key) or ())
    if d.widget == "toggle":
        on = ss.get(d.key, d.default == d.on)
        return d.on if on else next(v for v in d.values.values() if v != d.on)
    return ss.get(d.key) or d.default


def _put(f: Filters) -> None:
    kept = {}
    for d in DIMENSIONS:
        st.session_state[d.key] = _to_widget(d, getattr(f, d.name))
        if d.name in MORE:
            kept[d.key] = st.session_state[d.key]
    st.session_state[KEPT] = kept


def load_from_url(vocab: dict[str, list[str]]) -> None:
    """Once per session: the filters a link carries, validated against the database's vocabularies."""
    if st.session_state.get(LOADED):
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    f, notices = from_query(
        params,
        **{"origins": (), **vocab},
        article_exists=lambda doc_id: q.article_exists(doc_id),
        also_known=links.is_page_key,
    )
    links.remember_link(params)
    _put(f)
    if _rarer_set(f):
        st.session_state[MORE_KEY] = True  # a link that sets a rarer filter shows it
    st.session_state[NOTICES] = notices
    st.session_state[LOADED] = True


def clear_filters() -> None:
    """Back to everything: a callback, so it runs before the widgets are drawn again."""
    _put(Filters())
    st.session_state[NOTICES] = []
    st.query_params.clear()


def current() -> Filters:
    ss = _values()
    values = {d.name: _from_widget(d, ss) for d in DIMENSIONS}
    if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
        values["date_from"], values["date_to"] = values["date_to"], values["date_from"]
    return Filters(**values)


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


def _multiselect(d, vocab) -> None:
    options = list(KINDS) if d.vocabulary == "kinds" else list(vocab.get(d.vocabulary, []))
    # A value picked earlier that the database no longer holds stays listed, so the widget keeps it.
    gone = [v for v in st.session_state.get(d.key) or () if v not in options]
    extra = {"format_func": d.format} if d.format else {}
    st.multiselect(d.label, [*options, *gone], key=d.key, placeholder=d.placeholder, help=d.help, **extra)


def _scope(d, vocab) -> None:
    actors = st.session_state.get(KEYS["actors"])
    if not actors:
        return
    st.radio(d.label, list(d.values), key=d.key, format_func=SCOPE_LABELS.get, help=d.help)
    reach = q.actor_reach(actors)
    scope = st.session_state.get(d.key, d.default)
    for row in reach.itertuples():
        if row.relation == "same country" and scope != "country":
            continue
        st.caption(f"{row.name} — {row.relation}: {_short(row.matches)}")


def _date(d, vocab) -> None:
    # One above the other: side by side in the sidebar, a date was cut to "2023 - 0".
    st.date_input(d.label, value=None, key=d.key, min_value=dt.date(1900, 1, 1),
                  max_value=dt.date(2100, 1, 1), format="YYYY-MM-DD")  # fmt: skip


def _toggle(d, vocab) -> None:
    # The period toggle means something only with a date range.
    dated = st.session_state.get(KEYS["date_from"]) or st.session_state.get(KEYS["date_to"])
    st.toggle(d.label, key=d.key, help=d.help, disabled=d.name == "date_match" and not dated)


def _article(d, vocab) -> None:
    articles = q.articles(Filters(), limit=500)
    titles = dict(zip(articles["doc_id"], articles["title"], strict=True))
    chosen = st.session_state.get(d.key)
    if chosen and chosen not in titles:
        titles[chosen] = q.article_title(chosen) or chosen
    st.selectbox(d.label, [None, *titles], key=d.key, placeholder=d.placeholder,
                 format_func=lambda v: d.placeholder if v is None else _short(titles.get(v) or v, 70))  # fmt: skip


# How the sidebar draws each kind of widget a dimension declares.
WIDGETS = {
    "multiselect": _multiselect,
    "scope": _scope,
    "date": _date,
    "toggle": _toggle,
    "article": _article,
}


def sidebar_filters(vocab: dict[str, list[str]]) -> Filters:
    """The filter widgets every page shares, one per dimension; returns the filters they hold."""
    load_from_url(vocab)
    kept = st.session_state.setdefault(KEPT, {})
    drawn = st.session_state.get(DRAWN)
    if drawn:  # a value changed in a widget last run; once not drawn, a widget's key reads stale values
        kept.update(
            {
                d.key: st.session_state[d.key]
                for d in DIMENSIONS
                if d.name in MORE and d.key in st.session_state
            }
        )
    with st.sidebar:
        st.subheader("Filters")
        for d in DIMENSIONS:
            if d.name not in MORE:
                WIDGETS[d.widget](d, vocab)
        more = st.expander("More filters: theatre, kind, origin, article, confidence", key=MORE_KEY,
                           on_change="rerun", icon=":material/tune:")  # fmt: skip
        if more.open:
            with more:
                for d in DIMENSIONS:
                    if d.name in MORE:
                        if not drawn and d.key in kept:  # drawn again: its kept value
                            st.session_state[d.key] = kept[d.key]
                        WIDGETS[d.widget](d, vocab)
                        kept[d.key] = st.session_state.get(d.key)
        st.session_state[DRAWN] = more.open
        f = current()
        if not more.open and (hidden := _rarer_set(f)):
            st.caption("Also filtered by " + ", ".join(d.label for d in hidden) + " (under More filters).")
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
