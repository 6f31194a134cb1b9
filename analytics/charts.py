"""Chart builders: pure functions from a query result to a plotly Figure (tests read fig.data).

Axis and legend titles come from analytics.measures, so a chart names a column the way the
tables and exports do. No chart needs map tiles: the map is a longitude/latitude plane with the
borders and oblast outlines the project ships (analytics/boundaries.py).
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analytics import boundaries
from analytics.measures import AID_RECORD_TYPE_LABELS, AID_RECORD_TYPES, KIND_LABELS, count_of, label
from analytics.vocab import theatre_colours

PALETTE = ["#1f5f8b", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#2e4057", "#a05c34",
           "#5b8e7d", "#bc4b51", "#6c757d", "#f4a259"]  # fmt: skip
KIND_COLOURS = {"event": "#d1495b", "aid": "#00798c", "diplomacy": "#1f5f8b", "statement": "#edae49"}
RECORD_TYPE_COLOURS = {"announcement": "#00798c", "delivery": "#66a182", "cumulative": "#8d9ba6",
                       "correction": "#d1495b"}  # fmt: skip
DAY_MS = 86_400_000


def _layout(fig: go.Figure, height: int = 380, **kw) -> go.Figure:
    # No plotly template: st.plotly_chart draws with Streamlit's theme, and setting "plotly_white"
    # cost ~60 ms of validation per chart and 6 kB of JSON per chart sent to the browser.
    settings = dict(margin=dict(l=10, r=10, t=40, b=10), legend_title_text="", template="none")
    fig.update_layout(height=height, **(settings | kw))
    return fig


NOT_KNOWN_COLOUR = "#adb5bd"  # "Theatre not known", "No place named": grey, never a theatre's colour


def _name_number(name: str) -> int:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16)


def stable_colour(name: str) -> str:
    """A palette colour fixed by the name itself, so a theme or status keeps it whatever else is drawn."""
    return PALETTE[_name_number(name) % len(PALETTE)]


def _colours(values) -> dict[str, str]:
    return {v: KIND_COLOURS.get(v) or stable_colour(v) for v in values}


def theatre_colour(theatre: str) -> str:
    """A theatre's one colour (theatres.yaml), the same on the treemap, the bars and the map whatever
    the filters; a theatre without one gets a palette colour fixed by its name, not by its rank."""
    declared = theatre_colours()
    if theatre in declared:
        return declared[theatre]
    if theatre == "Theatre not known":
        return NOT_KNOWN_COLOUR
    return stable_colour(theatre)


def empty_figure(message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=14, color="#6c757d"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, height=200)


def _as_text(frame: pd.DataFrame):
    """Cells for a hover label, shown as written: plotly reads <a>, <b>, <br> in label text as markup,
    so an article's own tags (or a link it carries) are turned into entities plotly prints as text."""
    return frame.astype(str).map(lambda s: html.escape(s, quote=False)).to_numpy()


def _group_name(group: str, colour_by: str) -> str:
    # Kinds have labels ("diplomacy" -> "Diplomatic items"); a theme is named as it is, even one
    # spelled like a kind (the theme "diplomacy" is not the kind).
    return KIND_LABELS.get(group, group) if colour_by == "kind" else group


# ---- Timeline ------------------------------------------------------------------------------------


def timeline_window(records: pd.DataFrame, date_from=None, date_to=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The x range of the timeline: the records' own dates (a span's start), or the filter's range.

    A span reaching far past them ("80 years since" ends in 2103) or far before them ("since 2014",
    on a record of 2022) is drawn to the edge, not allowed to stretch the axis; a window shorter
    than a week is widened so ticks show days, not the milliseconds plotly picks when every record
    falls on one day.
    """
    own = pd.to_datetime(records["period_start"]).dropna()
    ends = pd.to_datetime(records["period_end"]).dropna()
    dated = pd.to_datetime(records["date"]).dropna()
    first = dated.min() if len(dated) else own.min()
    reach = pd.Timedelta(days=SPAN_REACH_DAYS)
    lo = pd.Timestamp(date_from) if date_from else min(first, max(own.min(), first - reach))
    if date_to:
        hi = pd.Timestamp(date_to)
    else:
        hi = max(own.max(), min(ends.max(), own.max() + reach))
    hi += pd.Timedelta(days=1)  # the last day is drawn whole
    if hi - lo < pd.Timedelta(days=MIN_WINDOW_DAYS):
        middle = lo + (hi - lo) / 2
        lo, hi = (
            middle - pd.Timedelta(days=MIN_WINDOW_DAYS / 2),
            middle + pd.Timedelta(days=MIN_WINDOW_DAYS / 2),
        )
    return lo, hi


MIN_WINDOW_DAYS = 7
SPAN_REACH_DAYS = 92  # how far beyond the records' own first and last dates a span may widen the axis


def timeline_figure(
    records: pd.DataFrame, colour_by: str = "kind", date_from=None, date_to=None
) -> go.Figure:
    """Records on a time axis, one row per kind (or theme).

    A day-precise record is a point on its day. A record known only to the week, month or year,
    and a stated span (the grain deal's two-month extension), is a bar from the first to the last
    day it may cover, so a month-precision record is never drawn as if it happened on the 1st.
    """
    if records.empty:
        return empty_figure("No dated records match the filters")
    if colour_by not in ("kind", "theme"):
        raise ValueError("colour_by must be 'kind' or 'theme'")
    fig = go.Figure()
    groups = sorted(records[colour_by].unique(), key=lambda v: (v == "no theme", v))
    colours = _colours(groups)
    precise = (records["date_precision"] == "day") & ~records["is_span"]
    for group in groups:
        rows = records[records[colour_by] == group]
        name = _group_name(group, colour_by)
        custom_cols = [
            "record_id",
            "sentence",
            "article",
            "date_precision",
            "period_start",
            "period_end",
            "type",
        ]
        points = rows[precise.loc[rows.index]]
        if len(points):
            fig.add_trace(go.Scatter(
                x=points["date"], y=[name] * len(points), mode="markers", name=f"{name} (day)",
                legendgroup=group, marker=dict(size=9, color=colours[group], opacity=0.75,
                                               line=dict(width=0.5, color="white")),
                customdata=_as_text(points[custom_cols]),
                hovertemplate="<b>%{customdata[6]}</b> · %{x|%d %b %Y}<br>%{customdata[1]}"
                              "<br><i>%{customdata[2]}</i><extra></extra>",
            ))  # fmt: skip
        periods = rows[~precise.loc[rows.index]]
        if len(periods):
            start = pd.to_datetime(periods["period_start"])
            end = pd.to_datetime(periods["period_end"]) + pd.Timedelta(days=1)  # the last day is included
            fig.add_trace(go.Bar(
                base=start, x=(end - start).dt.total_seconds() * 1000, y=[name] * len(periods),
                orientation="h", name=f"{name} (period or span)", legendgroup=group,
                marker=dict(color=colours[group], opacity=0.45, line=dict(width=1, color=colours[group])),
                customdata=_as_text(periods[custom_cols]),
                hovertemplate="<b>%{customdata[6]}</b> · %{customdata[4]} to %{customdata[5]}"
                              " (%{customdata[3]})<br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>",
            ))  # fmt: skip
    lo, hi = timeline_window(records, date_from, date_to)
    fig.update_xaxes(type="date", title_text=label("date"), range=[lo, hi], hoverformat="%d %b %Y")
    fig.update_yaxes(title_text=label(colour_by), categoryorder="array",
                     categoryarray=[_group_name(g, colour_by) for g in reversed(groups)])  # fmt: skip
    return _layout(fig, height=max(300, 60 * len(groups) + 120), barmode="overlay", hovermode="closest")


ARTICLES_COLOUR = "#6c757d"


def _outlets(rows: pd.DataFrame, top: int = 4) -> str:
    named = rows[rows["outlet"].notna() & (rows["articles"] > 0)]
    parts = [f"{html.escape(str(o), quote=False)} {int(n)}" for o, n in zip(named["outlet"], named["articles"],
                                                                            strict=True)][:top]  # fmt: skip
    return ", ".join(parts) + (" …" if len(named) > top else "")


def articles_trace(per_month: pd.DataFrame) -> go.Scatter:
    """Source articles per month as a line on the right axis: a month at zero is a gap in the sources."""
    months = per_month.groupby("month", sort=True)
    totals = months["articles"].sum()
    outlets = [_outlets(rows) for _, rows in months]
    return go.Scatter(
        x=list(totals.index), y=list(totals.values), name=label("articles"), yaxis="y2", mode="lines+markers",
        line=dict(color=ARTICLES_COLOUR, width=1.5, dash="dot", shape="hvh"), marker=dict(size=4),
        customdata=[[o] for o in outlets],
        hovertemplate="%{x|%b %Y}: %{y} source articles<br>%{customdata[0]}<extra></extra>",
    )  # fmt: skip


def monthly_figure(
    monthly: pd.DataFrame, height: int = 260, articles: pd.DataFrame | None = None
) -> go.Figure:
    """Records per month, stacked by kind; with `articles` (articles_per_month), the sources per month beside them."""
    if monthly.empty and (articles is None or articles.empty):
        return empty_figure("No dated records match the filters")
    fig = go.Figure()
    for kind in [k for k in KIND_COLOURS if k in set(monthly["kind"])]:
        rows = monthly[monthly["kind"] == kind]
        fig.add_trace(go.Bar(x=rows["month"], y=rows["records"], name=KIND_LABELS[kind],
                             marker_color=KIND_COLOURS[kind],
                             hovertemplate="%{x|%b %Y}: %{y}<extra>" + KIND_LABELS[kind] + "</extra>"))  # fmt: skip
    fig.update_xaxes(type="date", title_text=label("month"), tickformat="%b %Y")
    # The records axis only: update_yaxes would also retitle the articles axis "Records".
    fig.update_layout(yaxis_title_text=label("records"))
    if articles is not None and len(articles):
        fig.add_trace(articles_trace(articles))
        # Whole articles on the right axis, and the legend above the plot, clear of its tick labels.
        fig.update_layout(yaxis2=dict(title_text=label("articles"), overlaying="y", side="right", showgrid=False,
                                      rangemode="tozero", tickformat=",d"),
                          legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))  # fmt: skip
    return _layout(fig, height=height, barmode="stack")


# ---- Aid -----------------------------------------------------------------------------------------


def aid_tally_figure(tally: pd.DataFrame, dimension: str, currency: str) -> go.Figure:
    """Aid per donor (or recipient, aid type, record type) in one currency; record types side by side.

    Bars are grouped, not stacked: stacking would add corrections and running totals to new aid.
    """
    rows = tally[tally["currency"] == currency] if len(tally) else tally
    if rows.empty:
        return empty_figure(f"No aid figures in {currency} match the filters")
    fig = go.Figure()
    order = rows.groupby("value")["total"].max().sort_values(ascending=False).index.tolist()[:20]
    for rtype in AID_RECORD_TYPES:
        part = rows[(rows["record_type"] == rtype) & rows["value"].isin(order)]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["value"], y=part["total"], name=AID_RECORD_TYPE_LABELS[rtype],
            marker_color=RECORD_TYPE_COLOURS[rtype], customdata=[[count_of(n, "figure")] for n in part["figures"]],
            hovertemplate="%{x}: %{y:,.0f} " + currency + " (%{customdata[0]})<extra>"
                          + AID_RECORD_TYPE_LABELS[rtype] + "</extra>",
        ))  # fmt: skip
    fig.update_xaxes(title_text=label(dimension), categoryorder="array", categoryarray=order)
    fig.update_yaxes(title_text=f"{label('amount')} ({currency})", tickformat="~s")
    return _layout(fig, barmode="group")


# The aid ledger's stages, in the order a pledge moves through them, and their colours.
STAGE_COLOURS = {
    "announced": "#8d9ba6",
    "committed": "#00798c",
    "allocated": "#1f5f8b",
    "delivered": "#66a182",
}
AID_STAGES = tuple(STAGE_COLOURS)


def aid_ledger_figure(by_donor_stage: pd.DataFrame, top: int = 20) -> go.Figure:
    """Aid to Ukraine counted once, per donor in USD, stacked by the stage each commitment reached.

    Stacking is sound here: every row is a distinct counted commitment (one per line), never a
    request, a running total or a correction.
    """
    if by_donor_stage.empty:
        return empty_figure("No counted aid commitments match the filters")
    order = by_donor_stage.groupby("donor")["usd"].sum().sort_values(ascending=False).index.tolist()[:top]
    fig = go.Figure()
    for stage in AID_STAGES:
        part = by_donor_stage[(by_donor_stage["stage"] == stage) & by_donor_stage["donor"].isin(order)]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            x=part["donor"], y=part["usd"], name=stage.capitalize(), marker_color=STAGE_COLOURS[stage],
            customdata=[[f"{count_of(c, 'commitment')}, {count_of(r, 'report')}"]
                        for c, r in zip(part["commitments"], part["reports"], strict=True)],
            hovertemplate="%{x}: $%{y:,.0f} (%{customdata[0]})<extra>"
                          + stage + "</extra>",
        ))  # fmt: skip
    fig.update_xaxes(title_text=label("donor"), categoryorder="array", categoryarray=order)
    fig.update_yaxes(title_text=label("amount_usd"), tickformat="~s")
    return _layout(fig, barmode="stack")


# ---- Theatres ------------------------------------------------------------------------------------

# Places drawn per theatre, the rest one tile: the browser measures and fits each labelled tile (15
# per theatre took twice as long to draw); the bar beside the treemap lists a theatre's top 25.
TREEMAP_PLACES = 8


def top_places(places: pd.DataFrame, top: int = TREEMAP_PLACES) -> pd.DataFrame:
    """Each theatre's `top` places by events, the others summed into one "N other places" row."""
    ranked = places.sort_values(["theatre", "events", "place"], ascending=[True, False, True], kind="stable")
    rank = ranked.groupby("theatre", sort=False).cumcount()
    kept, rest = ranked[rank < top], ranked[rank >= top]
    if rest.empty:
        return places
    others = rest.groupby("theatre", as_index=False, sort=False).agg(
        events=("events", "sum"), n=("place", "size")
    )
    others["place"] = [f"{n:,} other places" for n in others["n"]]
    return pd.concat([kept, others[["theatre", "place", "events"]]], ignore_index=True)


def theatre_treemap(places: pd.DataFrame) -> go.Figure:
    """Events by theatre, then place: click a theatre to drill down to its places."""
    if places.empty:
        return empty_figure("No events match the filters")
    theatres = places.groupby("theatre", sort=False)["events"].sum()
    places = top_places(places)
    ids = [f"t/{t}" for t in theatres.index] + [
        f"t/{t}/{p}" for t, p in zip(places["theatre"], places["place"], strict=True)
    ]
    fig = go.Figure(go.Treemap(
        ids=ids,
        labels=list(theatres.index) + list(places["place"]),
        parents=[""] * len(theatres) + [f"t/{t}" for t in places["theatre"]],
        values=list(theatres.values) + list(places["events"]),
        branchvalues="total",
        marker=dict(colors=[theatre_colour(t) for t in theatres.index] + [theatre_colour(t) for t in places["theatre"]]),
        hovertemplate="<b>%{label}</b><br>Events: %{value:,}<extra></extra>",
        textinfo="label+value",
    ))  # fmt: skip
    return _layout(fig, height=420, margin=dict(l=0, r=0, t=10, b=0))


def places_bar(places: pd.DataFrame, theatre: str | None = None, top: int = 25) -> go.Figure:
    """Events per theatre, or per place within one theatre (the drill-down)."""
    if places.empty:
        return empty_figure("No events match the filters")
    if theatre:
        rows = places[places["theatre"] == theatre].nlargest(top, "events")
        x, name = rows["place"], label("place")
    else:
        rows = places.groupby("theatre", as_index=False)["events"].sum().nlargest(top, "events")
        x, name = rows["theatre"], label("theatre")
    colours = theatre_colour(theatre) if theatre else [theatre_colour(t) for t in rows["theatre"]]
    fig = go.Figure(go.Bar(y=x, x=rows["events"], orientation="h", marker_color=colours,
                           hovertemplate="%{y}<br>Events: %{x:,}<extra></extra>"))  # fmt: skip
    fig.update_yaxes(title_text=name, autorange="reversed")
    fig.update_xaxes(title_text=label("events"))
    return _layout(fig, height=max(260, 26 * len(rows) + 80))


# Country borders darker than the lines between oblasts; both under the dots, grey so theatres' colours stand out.
OUTLINE_STYLES = {boundaries.BORDERS: ("Country borders", "#7b8794", 1.1),
                  boundaries.OBLASTS: ("Oblast outlines", "#b4bec9", 0.7)}  # fmt: skip


def _outlines(fig: go.Figure, boundaries_file: Path) -> None:
    """The shipped outlines as two line traces (one per layer, gaps between lines), no hover; a note when
    the file cannot be read, so the events are still shown on the plain plane."""
    try:
        shapes = boundaries.load(boundaries_file)
    except boundaries.BoundaryFileError as exc:
        fig.add_annotation(text=f"Outlines not drawn: {html.escape(str(exc))}", xref="paper", yref="paper", x=0,
                           y=1.01, xanchor="left", yanchor="bottom", showarrow=False,
                           font=dict(size=11, color="#a4161a"))  # fmt: skip
        return
    for key, layer in ((boundaries.OBLASTS, shapes.oblasts), (boundaries.BORDERS, shapes.borders)):
        name, colour, width = OUTLINE_STYLES[key]
        fig.add_trace(go.Scatter(
            x=layer.lon, y=layer.lat, mode="lines", name=name, line=dict(color=colour, width=width),
            hoverinfo="skip", legendrank=1100,  # after the theatres in the legend; a click hides the layer
        ))  # fmt: skip


def events_map(
    points: pd.DataFrame,
    landmarks: pd.DataFrame | None = None,
    boundaries_file: Path = boundaries.BOUNDARIES_FILE,
) -> go.Figure:
    """Located events per place on a longitude/latitude plane over country borders and oblast outlines.

    Map tiles and plotly's geo outlines both load from the network; this map draws the outlines the
    project ships (Natural Earth, public domain) and a few landmark cities in grey, so it works offline.
    """
    fig = go.Figure()
    _outlines(fig, boundaries_file)
    if landmarks is not None and len(landmarks):
        fig.add_trace(go.Scatter(
            x=landmarks["lon"], y=landmarks["lat"], text=landmarks["place"], mode="markers+text",
            textposition="top center", textfont=dict(size=10, color="#8d99a6"), name="Landmarks",
            marker=dict(size=5, color="#b8c1cc", symbol="square"), hoverinfo="text",
        ))  # fmt: skip
    if not points.empty:
        size = 8 + 32 * (points["events"] / points["events"].max()) ** 0.5
        theatres = list(dict.fromkeys(points["theatre"]))
        colours = {t: theatre_colour(t) for t in theatres}
        for theatre in theatres:
            rows = points[points["theatre"] == theatre]
            fig.add_trace(go.Scatter(
                x=rows["lon"], y=rows["lat"], text=rows["place"], mode="markers", name=theatre,
                marker=dict(size=size[rows.index], color=colours[theatre], opacity=0.75,
                            line=dict(width=0.5, color="white")),
                customdata=[[t, count_of(n, "event")] for t, n in zip(rows["theatre"], rows["events"], strict=True)],
                hovertemplate="<b>%{text}</b> (%{customdata[0]})<br>%{customdata[1]}<extra></extra>",
            ))  # fmt: skip
    # Degrees of longitude are shorter than degrees of latitude at these latitudes (~48°N).
    fig.update_yaxes(title_text=label("lat"), scaleanchor="x", scaleratio=1.5, showgrid=True, gridcolor="#eef1f4",
                     zeroline=False)  # fmt: skip
    fig.update_xaxes(title_text=label("lon"), showgrid=True, gridcolor="#eef1f4", zeroline=False)
    if points.empty or outside_window(points) <= 0.25 * points["events"].sum():
        # Most events are in the war's window: open on it (a few in Washington or Beijing would
        # otherwise shrink Ukraine to a dot); the caption counts those left outside.
        fig.update_xaxes(range=list(WAR_WINDOW[0]))
        fig.update_yaxes(range=list(WAR_WINDOW[1]))
    return _layout(fig, height=520, plot_bgcolor="#f7f8f6")


# The map's default view: Ukraine, Belarus's south, Russia's west and the Black Sea.
WAR_WINDOW = ((21.5, 41.5), (43.5, 53.5))


def outside_window(points: pd.DataFrame) -> int:
    """Events at points outside the map's default window."""
    if points.empty:
        return 0
    (x0, x1), (y0, y1) = WAR_WINDOW
    inside = points["lon"].between(x0, x1) & points["lat"].between(y0, y1)
    return int(points.loc[~inside, "events"].sum())


# ---- Diplomacy -----------------------------------------------------------------------------------


# Fixed colours for the small sets a chart stacks by: hashing names into the palette gave "held" and
# "planned" one red, and "visit" and "sanctions" one orange.
STATUS_COLOURS = {"held": "#1f5f8b", "ongoing": "#66a182", "planned": "#edae49"}
DIPLOMACY_TYPE_COLOURS = {"talks": "#1f5f8b", "visit": "#00798c", "summit": "#8d6a9f", "sanctions": "#d1495b",
                          "agreement": "#66a182", "extension": "#a05c34", "peace initiative": "#edae49",
                          "recall": "#2e4057"}  # fmt: skip


def _distinct_colours(values, declared: dict[str, str]) -> dict[str, str]:
    """The declared colours, and for any other value a palette colour no other value here has."""
    out = {v: declared[v] for v in values if v in declared}
    free = [c for c in PALETTE if c not in out.values()]
    for v in values:
        if v not in out:
            out[v] = free.pop(_name_number(v) % len(free)) if free else stable_colour(v)
    return out


def diplomacy_types_figure(by_type: pd.DataFrame) -> go.Figure:
    """Diplomatic items per type, stacked by status."""
    if by_type.empty:
        return empty_figure("No diplomatic items match the filters")
    fig = go.Figure()
    present = set(by_type["status"])
    statuses = [s for s in STATUS_COLOURS if s in present] + sorted(present - set(STATUS_COLOURS))
    colours = _distinct_colours(statuses, STATUS_COLOURS)
    for status in statuses:
        rows = by_type[by_type["status"] == status]
        fig.add_trace(go.Bar(x=rows["item_type"], y=rows["items"], name=status, marker_color=colours[status],
                             hovertemplate="%{x}: %{y} (" + status + ")<extra></extra>"))  # fmt: skip
    fig.update_xaxes(title_text=label("item_type"), categoryorder="total descending")
    fig.update_yaxes(title_text=label("items"))
    return _layout(fig, barmode="stack", legend_title_text=label("status"))


def participants_figure(by_participant: pd.DataFrame) -> go.Figure:
    """Diplomatic items per participating side, stacked by item type."""
    if by_participant.empty:
        return empty_figure("No diplomatic items with participants match the filters")
    fig = go.Figure()
    order = by_participant.drop_duplicates("participants")["participants"].tolist()
    types = sorted(by_participant["item_type"].unique())
    colours = _distinct_colours(types, DIPLOMACY_TYPE_COLOURS)
    for item_type in types:
        rows = by_participant[by_participant["item_type"] == item_type]
        fig.add_trace(go.Bar(y=rows["participants"], x=rows["items"], name=item_type, orientation="h",
                             marker_color=colours[item_type],
                             hovertemplate="%{y}: %{x} " + item_type + "<extra></extra>"))  # fmt: skip
    fig.update_yaxes(title_text=label("participants"), categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(title_text=label("items"))
    return _layout(fig, height=max(300, 26 * len(order) + 100), barmode="stack")


# ---- Claims --------------------------------------------------------------------------------------

STANCE_ORDER = ["claims", "reports", "announces", "acknowledges", "denies", "urges", "accuses", "threatens",
                "warns", "rejects"]  # fmt: skip


def stance_heatmap(matrix: pd.DataFrame, top: int = 15) -> go.Figure:
    """Who says what: records per side (rows) and stance (columns)."""
    if matrix.empty:
        return empty_figure("No statements or attributed records match the filters")
    speakers = matrix.groupby("speaker")["records"].sum().nlargest(top).index.tolist()
    stances = [s for s in STANCE_ORDER if s in set(matrix["stance"])] + sorted(
        set(matrix["stance"]) - set(STANCE_ORDER)
    )
    grid = (matrix[matrix["speaker"].isin(speakers)]
            .pivot_table(index="speaker", columns="stance", values="records", aggfunc="sum", fill_value=0)
            .reindex(index=speakers, columns=stances, fill_value=0))  # fmt: skip
    fig = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=stances, y=speakers, colorscale="Blues", text=grid.to_numpy(),
        texttemplate="%{text}", hovertemplate="%{y} %{x}: %{z} records<extra></extra>", showscale=False,
    ))  # fmt: skip
    fig.update_yaxes(autorange="reversed", title_text=label("speaker"))
    fig.update_xaxes(side="top", title_text=label("stance"))
    return _layout(fig, height=max(260, 28 * len(speakers) + 110))
