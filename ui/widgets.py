"""Widgets every page uses: the labelled table, its CSV download, the empty state."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import citations, queries
from analytics.filters import Filters
from analytics.measures import FIELDS, label
from analytics.reader import escape_markdown
from ui import links
from ui.cache import q
from ui.db import cursor
from ui.state import clear_filters

EMPTY_HINT = (
    "Add articles on the Add articles page (or `python -m analytics ingest PATH` while the dashboard is "
    "stopped), import a dataset on the Data page, or clear the filters."
)


def column_config(columns) -> dict:
    """Labels and descriptions from analytics.measures for every column shown."""
    config = {}
    for name in columns:
        f = FIELDS.get(name)
        if f is None:
            continue
        if f.kind == "date":
            config[name] = st.column_config.DateColumn(f.label, help=f.description, format="YYYY-MM-DD")
        elif f.kind == "number":
            config[name] = st.column_config.NumberColumn(f.label, help=f.description, format="%d")
        elif f.kind == "money":
            config[name] = st.column_config.NumberColumn(f.label, help=f.description, format="localized")
        elif f.kind == "bool":
            config[name] = st.column_config.CheckboxColumn(f.label, help=f.description)
        elif f.kind == "long_text":
            config[name] = st.column_config.TextColumn(f.label, help=f.description, width="large")
        else:
            config[name] = st.column_config.TextColumn(f.label, help=f.description)
    return config


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty text cells blank: st.dataframe prints a missing value as a grey "None", which reads as
    a value (an actor called None). Numbers and dates keep their type (and their sort order)."""
    # Only columns of text: an object column of dates filled with "" could no longer go to Arrow.
    text = [
        c for c in frame.columns if pd.api.types.infer_dtype(frame[c], skipna=True) in ("string", "empty")
    ]
    if not text or not frame[text].isna().to_numpy().any():
        return frame
    return frame.assign(**{c: frame[c].astype(object).where(frame[c].notna(), "") for c in text})


OPEN = "open"  # the column that opens a row's sentence in the reader


def table(frame: pd.DataFrame, key: str | None = None, height: int | str = "auto", columns=None,
          reader_links: bool = True) -> None:  # fmt: skip
    """A labelled table; rows that come from a sentence get a first column opening it in the article reader."""
    frame = for_display(frame)
    config = column_config(frame.columns)
    targets = citations.reader_targets(cursor(), frame) if reader_links and len(frame) else None
    if targets is not None and targets.notna().any():
        frame = frame.assign(**{OPEN: targets})
        config[OPEN] = st.column_config.LinkColumn(
            "Sentence", display_text="Open ↗", width="small",
            help="Open the article at this row's sentence (the reader opens in a new tab).",
        )  # fmt: skip
        if columns is not None:
            columns = [OPEN, *columns]
        else:
            columns = [OPEN, *[c for c in frame.columns if c != OPEN]]
    st.dataframe(frame, hide_index=True, column_config=config, key=key, height=height, column_order=columns)


def latest_items(frame: pd.DataFrame) -> None:
    """A few records as lines of text, each with a link to its sentence: a short list needs no data grid,
    whose code alone costs the page's first paint (see listing_box)."""
    frame = for_display(frame)
    targets = citations.reader_targets(cursor(), frame) if len(frame) else pd.Series([], dtype=object)
    lines = []
    for (_, row), target in zip(frame.iterrows(), targets, strict=True):
        date = row.get("date")
        head = " · ".join(str(v) for v in (str(date)[:10] if pd.notna(date) else "undated", row["kind"],
                                           row.get("type")) if v)  # fmt: skip
        actors = f" — {row['actors']}" if row.get("actors") else ""
        link = f" [Open ↗]({target})" if isinstance(target, str) else ""
        lines.append(f"- **{escape_markdown(head)}**{escape_markdown(actors)}: {escape_markdown(str(row['sentence']))}"
                     f" _({escape_markdown(str(row.get('article') or ''))})_{link}")  # fmt: skip
    st.markdown("\n".join(lines))


def coverage_note(filters: Filters, *, always: bool = False) -> pd.DataFrame:
    """Say when the sources behind the filtered range are few, none, or missing for some months.

    Shown when the filters name dates (a warning: the analyst asked about that range), and with
    `always` also for the whole corpus (a caption). Returns the articles per month, for charts.
    """
    per_month = q.articles_per_month(filters.date_from, filters.date_to)
    note = queries.coverage_note(per_month, filters.date_from, filters.date_to)
    if note and (filters.date_from or filters.date_to):
        st.warning(note, icon=":material/event_busy:")
    elif note and always:
        st.caption(f":material/event_busy: {note}")
    return per_month


def nothing_to_show(what: str, filters: Filters, key: str) -> None:
    """A clear message and a way back, instead of an empty chart."""
    if filters.is_empty():
        st.info(f"No {what} in the database yet. {EMPTY_HINT}", icon=":material/inbox:")
    else:
        st.info(f"No {what} match the current filters. {EMPTY_HINT}", icon=":material/filter_alt_off:")
        st.button("Clear filters", on_click=clear_filters, key=f"clear_{key}", type="primary")


UNIT_LABELS = {"incidents": "Incidents", "reports": "Reports"}


def _unit_changed(key: str) -> None:
    st.session_state["_count_unit"] = st.session_state[key]


def count_unit(key: str) -> str:
    """Count events as incidents (each occurrence once) or as reports (each sentence that reports one).

    One choice for every page: kept in session state, so switching pages keeps it.
    """
    links.choice("unit", "_count_unit", queries.COUNT_UNITS, queries.COUNT_UNITS[0], what="count unit")
    current = st.session_state.get("_count_unit", queries.COUNT_UNITS[0])
    if st.session_state.get(key) != current:  # the choice made on another page, or in the link
        st.session_state[key] = current
    chosen = st.radio(
        "Count events as", queries.COUNT_UNITS, horizontal=True, key=key, on_change=_unit_changed, args=(key,),
        format_func=UNIT_LABELS.get,
        help="Incidents: reports of the same occurrence (same kind of event, place and dates, from any number of "
             "articles) counted once. Reports: every sentence that reports an event, as the press repeated it.",
    )  # fmt: skip
    st.session_state["_count_unit"] = chosen
    links.keep("unit", chosen, queries.COUNT_UNITS[0])
    return chosen


def csv_button(view: str, filters: Filters, rows: int, *, table_name: str | None = None) -> None:
    """Download of exactly the rows the view shows under the filters; built only when pressed."""
    if table_name:

        def build() -> bytes:
            return queries.table_csv(cursor(), table_name, filters)
    else:

        def build() -> bytes:
            return queries.view_csv(cursor(), view, filters)

    st.download_button(
        f"CSV ({rows:,} rows)", data=build, file_name=queries.view_filename(view, filters), mime="text/csv",
        on_click="ignore", key=f"csv_{view}", icon=":material/download:",
        help="Every row of this view under the current filters, with its article, sentence and offsets. "
             "Cells a spreadsheet would run as a formula are prefixed with '.",
    )  # fmt: skip


def page_picker(listing: str, key: str, total: int) -> tuple[list, int]:
    """A listing's header row with its page number (from the link, kept in the URL as
    `<listing>_page`) when it has more than one page: (the header's columns, the first row's offset)."""
    pages = (total - 1) // queries.PAGE_SIZE + 1
    head = st.columns([3, 1, 1], vertical_alignment="bottom")
    page = 1
    if pages > 1:
        links.page_number(listing, key, pages)
        page = head[1].number_input("Page", 1, pages, key=key)
    links.keep(listing + links.PAGE_SUFFIX, page, 1)
    return head, (page - 1) * queries.PAGE_SIZE


def listing_box(listing: str, label: str, *, opens_with: tuple[str, ...] = ()):
    """An expander whose listing is built only while it is open, kept in the URL as `<listing>_open=1`.

    A data grid costs a page's first paint (its code alone, ~1.1-1.2x a hello-world page's fresh
    open, whatever its rows) and every move to the page redraws it, so listings wait until asked
    for. A link to one of its pages (`<listing>_page`), or to a control that lives inside it
    (`opens_with`), opens it. The label stays the same whatever the filters: it names the widget.
    """
    key, param = f"open_{listing}", listing + links.OPEN_SUFFIX
    if links.waiting(listing + links.PAGE_SUFFIX, *opens_with):
        st.session_state[key] = True
    links.choice(param, key, [True, False], False, what=f"{listing.replace('_', ' ')} listing state",
                 parse=lambda raw: {"1": True, "0": False}.get(raw))  # fmt: skip
    box = st.expander(label, key=key, on_change="rerun", icon=":material/table_rows:")
    links.keep(param, "1" if box.open else None)
    return box


def table_on_demand(listing: str, label: str, frame: pd.DataFrame, **table_options) -> None:
    """A small table drawn only while its box is open (see listing_box), for tables shown whole."""
    box = listing_box(listing, label)
    if box.open:
        with box:
            table(frame, key=listing, **table_options)


def paged_view(
    view: str,
    filters: Filters,
    what: str,
    *,
    columns: list[str] | None = None,
    empty_note: str | None = None,
    opens_with: tuple[str, ...] = (),
) -> pd.DataFrame | None:
    """A view's rows a page at a time, with the count and the CSV of all of them. None when empty
    (then the empty state, or only `empty_note` when an empty view is an answer, not a problem),
    and until the analyst opens the listing (see listing_box)."""
    total = q.view_count(view, filters)
    if total == 0:
        if empty_note:
            st.caption(empty_note)
        else:
            nothing_to_show(what, filters, key=view)
        return None
    # The count and the CSV of every row stay on the page; the grid waits in the box.
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(f"{what.capitalize()} matching the filters: {total:,}.")
    with right:
        csv_button(view, filters, total)
    box = listing_box(view, f"Show the {what}, {queries.PAGE_SIZE} a page", opens_with=opens_with)
    if not box.open:
        return None
    with box:
        return _paged_rows(view, filters, what, total, columns)


def _paged_rows(view: str, filters: Filters, what: str, total: int, columns) -> pd.DataFrame:
    """One page of the listing inside its box (the CSV button stands beside the box)."""
    head, first = page_picker(view, f"page_{view}", total)
    frame = q.view_rows(view, filters, limit=queries.PAGE_SIZE, offset=first)
    head[0].caption(f"{label(view) if view in FIELDS else what.capitalize()}: rows {first + 1:,}–"
                    f"{first + len(frame):,} of {total:,}. The CSV holds all {total:,}.")  # fmt: skip
    table(frame, key=f"table_{view}", columns=columns)
    return frame
