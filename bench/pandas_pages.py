"""The same page query sets done in pandas: tables loaded into DataFrames once, then filtered and grouped in memory.

This is the "load it all into pandas" alternative, written the way an analyst would: boolean
masks and groupby over frames already in memory (loading is not timed). The `records` frame is
the records view materialised once, joins included, which favours pandas.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.filters import Filters

TABLES = ["events", "aid_figures", "diplomatic_items", "statements", "record_actors", "record_themes",
          "record_sources", "documents", "sentences", "actors", "actor_aliases", "places", "themes", "theatres"]  # fmt: skip
LIST_ORDER = (["date", "kind", "doc_id", "sentence_no", "record_id"], [False, True, True, True, True])


def load(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every table the pages read, and the records view, as DataFrames (not timed)."""
    frames = {t: con.cursor().sql(f"SELECT * FROM {t}").to_arrow_table().to_pandas() for t in TABLES}  # noqa: S608
    frames["records"] = con.cursor().sql("SELECT * FROM records").to_arrow_table().to_pandas()
    for frame in frames.values():
        for col in ("date", "period_start", "period_end", "published"):
            if col in frame:
                frame[col] = pd.to_datetime(frame[col])
    return frames


def matching(P: dict, f: Filters) -> pd.DataFrame:
    r = P["records"]
    m = pd.Series(True, index=r.index)
    if f.kinds:
        m &= r["kind"].isin(f.kinds)
    if f.actors:
        ra = P["record_actors"]
        m &= r["record_id"].isin(ra.loc[ra["actor"].isin(f.actors) | ra["side"].isin(f.actors), "record_id"])
    if f.themes:
        rt = P["record_themes"]
        m &= r["record_id"].isin(rt.loc[rt["theme"].isin(f.themes), "record_id"])
    if f.theatres:
        m &= r["theatre"].isin(f.theatres)
    if f.date_from:
        m &= r["period_end"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        m &= r["period_start"] <= pd.Timestamp(f.date_to)
    if f.doc_id:
        m &= r["doc_id"] == f.doc_id
    return r[m]


def _joined(values: pd.DataFrame, ids: pd.Series, col: str) -> pd.Series:
    """record_id -> 'a, b' of the distinct values (the correlated string_agg of the SQL)."""
    sub = values[values["record_id"].isin(ids)].drop_duplicates(["record_id", col]).sort_values(col)
    return sub.groupby("record_id")[col].agg(", ".join)


def _listing(P: dict, rows: pd.DataFrame, limit: int, offset: int = 0, order=LIST_ORDER) -> pd.DataFrame:
    page = (
        rows.sort_values(order[0], ascending=order[1], na_position="last")
        .iloc[offset : offset + limit]
        .copy()
    )
    page["actors"] = page["record_id"].map(_joined(P["record_actors"], page["record_id"], "side"))
    page["themes"] = page["record_id"].map(_joined(P["record_themes"], page["record_id"], "theme"))
    return page


def _kind(P: dict, r: pd.DataFrame, kind: str, table: str) -> pd.DataFrame:
    return r[r["kind"] == kind][["record_id"]].merge(P[table], on="record_id")


def sidebar(P: dict, f: Filters) -> None:
    ra, actors = P["record_actors"], P["actors"]
    n = (ra["actor"].value_counts().add(ra["side"].value_counts(), fill_value=0)
         .sub(ra.loc[ra["actor"] == ra["side"], "actor"].value_counts(), fill_value=0))  # fmt: skip
    counts = actors[["name"]].assign(n=actors["name"].map(n).fillna(0))
    counts.sort_values(["n", "name"], ascending=[False, True])
    P["themes"]["name"].sort_values()
    P["theatres"].sort_values(["sort_order", "name"])
    if f.actors:
        al = P["actor_aliases"]
        al[al["actor"].isin(f.actors) & (al["alias"] != al["actor"])].groupby("actor")["alias"].agg(", ".join)
        actors[actors["represents"].isin(f.actors)].groupby("represents")["name"].agg(", ".join)
    _articles(P, Filters(), 500)


def _articles(P: dict, f: Filters, limit: int) -> pd.DataFrame:
    d = P["documents"]
    if not f.is_empty():
        d = d[d["doc_id"].isin(matching(P, f)["doc_id"].unique())]
    return d.sort_values(["published", "title"], ascending=[False, True], na_position="last").head(limit)[
        ["doc_id", "title", "published", "n_sentences"]
    ]


def _aid_totals(P: dict, r: pd.DataFrame) -> pd.DataFrame:
    a = _kind(P, r, "aid", "aid_figures")
    return a.groupby(["record_type", "currency"], dropna=False)["amount"].agg(["sum", "count"]).reset_index()


def _monthly(r: pd.DataFrame) -> pd.DataFrame:
    r = r[r["date"].notna()]
    return r.groupby([r["date"].dt.to_period("M"), r["kind"]]).size().reset_index()


def overview(P: dict, f: Filters) -> None:
    r = matching(P, f)
    r["kind"].value_counts()
    len(P["documents"]) if f.is_empty() else r["doc_id"].nunique()
    _aid_totals(P, r)
    _listing(P, r, 10)
    _monthly(r)
    d, rec = P["documents"], P["records"]
    (len(d), d["published"].min(), d["published"].max(), rec["date"].min(), rec["date"].max(), len(rec))
    d.groupby(d["source"].fillna("not recorded"))["published"].agg(["count", "min", "max"]).sort_values(
        "count", ascending=False
    ).head(50)


def timeline(P: dict, f: Filters) -> None:
    r = matching(P, f)
    if len(r) > 2000:
        _monthly(r)
    elif len(r):
        t = r[r["date"].notna()].sort_values(["period_start", "kind", "record_id"]).head(2000)
        rt = P["record_themes"]
        t["record_id"].map(rt[rt["record_id"].isin(t["record_id"])].groupby("record_id")["theme"].min())
    if len(r):
        _listing(P, r, 200)


def aid(P: dict, f: Filters) -> None:
    r = matching(P, f)
    a = _kind(P, r, "aid", "aid_figures")
    totals = a.groupby(["record_type", "currency"], dropna=False)["amount"].agg(["sum", "count"])
    if "correction" in totals.index.get_level_values(0):
        a[a["record_type"] == "correction"].head(100).merge(r, on="record_id")
    a.groupby([a["donor"].fillna("not stated"), "record_type", "currency"], dropna=False)["amount"].agg(
        ["sum", "count"]
    ).sort_values("sum", ascending=False)
    if len(a):
        ra = r[r["kind"] == "aid"]
        _listing(P, ra, 200, order=(["date", "doc_id", "sentence_no", "record_id"], [False, True, True, True])
                 ).merge(P["aid_figures"], on="record_id")  # fmt: skip


def theatres(P: dict, f: Filters) -> None:
    r = matching(P, f)
    e = r[r["kind"] == "event"]
    e.groupby(
        [e["theatre"].fillna("Theatre not known"), e["location"].fillna("No place named")]
    ).size().sort_values(ascending=False)
    pl = P["places"]
    # The map places an event at its own coordinates (imports), else at its place's: coalesce.
    located = e.merge(pl[["name", "lat", "lon"]], left_on="location", right_on="name", how="left",
                      suffixes=("", "_place"))  # fmt: skip
    if "lat" not in e.columns:
        located["lat"], located["lon"] = located.pop("lat_place"), located.pop("lon_place")
    else:
        located["lat"] = located["lat"].fillna(located.pop("lat_place"))
        located["lon"] = located["lon"].fillna(located.pop("lon_place"))
    located = located[located["lat"].notna() & located["lon"].notna()]
    located.groupby([located["location"].fillna("not named"), located["theatre"].fillna("Theatre not known"),
                     "lat", "lon"]).size()  # fmt: skip
    if len(e):
        _listing(
            P, e, 200, order=(["date", "doc_id", "sentence_no", "record_id"], [False, True, True, True])
        ).merge(P["events"][["record_id", "event_type", "sub_event_type", "fatalities"]], on="record_id")


def diplomacy(P: dict, f: Filters) -> None:
    r = matching(P, f)
    d = _kind(P, r, "diplomacy", "diplomatic_items")
    d.groupby(["item_type", d["status"].fillna("not stated")]).size().sort_values(ascending=False)
    p = d[["record_id", "item_type"]].merge(P["record_actors"][["record_id", "side"]], on="record_id")
    t = p.drop_duplicates().groupby(["side", "item_type"]).size().rename("items").reset_index()
    t["side_total"] = t.groupby("side")["items"].transform("sum")
    top = (
        t.drop_duplicates("side")
        .sort_values(["side_total", "side"], ascending=[False, True])
        .head(15)["side"]
    )
    t[t["side"].isin(top)]
    if len(d):
        dr = r[r["kind"] == "diplomacy"]
        _listing(
            P, dr, 200, order=(["date", "doc_id", "sentence_no", "record_id"], [False, True, True, True])
        ).merge(P["diplomatic_items"][["record_id", "item_type", "status"]], on="record_id")


def claims(P: dict, f: Filters) -> None:
    r = matching(P, f)
    ids = r["record_id"]
    st, rs = P["statements"], P["record_sources"]
    said = pd.concat([
        st.loc[st["record_id"].isin(ids) & st["speaker"].notna(), ["speaker", "stance", "record_id"]]
        .rename(columns={"speaker": "side"}),
        rs.loc[rs["record_id"].isin(ids), ["actor", "stance", "record_id"]].rename(columns={"actor": "side"}),
    ]).drop_duplicates()  # fmt: skip
    said.groupby(["side", "stance"])["record_id"].nunique().sort_values(ascending=False)
    c = r[(r["kind"] == "statement") | r["record_id"].isin(rs["record_id"])]
    if len(c):
        src = rs[rs["record_id"].isin(c["record_id"])]
        g = (
            src.assign(claim=src["stance"] != "denies", deny=src["stance"] == "denies")
            .groupby("record_id")
            .agg(claim=("claim", "any"), deny=("deny", "any"), everyone=("actor", "nunique"))
        )
        contested = (
            (g["claim"] & g["deny"] & (g["everyone"] > 1)).reindex(c["record_id"]).fillna(False).to_numpy()
        )
        c = c.assign(contested=contested).sort_values(
            ["contested", "date", "doc_id", "sentence_no", "record_id"], ascending=[False, False, True, True, True],
            na_position="last").head(200)  # fmt: skip
        c["record_id"].map(_joined(src, c["record_id"], "actor"))
        c.merge(st[["record_id", "speaker", "stance"]], on="record_id", how="left")
    articles = _articles(P, f, 500)
    if len(articles):
        doc_id = articles["doc_id"].iloc[0]
        d = P["documents"]
        d[d["doc_id"] == doc_id]
        s = P["sentences"]
        rec = P["records"]
        s[s["doc_id"] == doc_id].merge(rec[rec["doc_id"] == doc_id][["sentence_no", "record_id", "kind", "type"]],
                                       on="sentence_no", how="left").groupby("sentence_no")["record_id"].agg(list)  # fmt: skip
        _listing(P, matching(P, Filters(doc_id=doc_id)), 1000)


def data(P: dict, f: Filters) -> None:
    r = matching(P, f)
    if len(r):
        (r if f.is_empty() else r.sort_values("record_id")).head(200)


PAGES = {"sidebar (every page)": sidebar, "overview": overview, "timeline": timeline, "aid": aid,
         "theatres": theatres, "diplomacy": diplomacy, "claims": claims, "data": data}  # fmt: skip
