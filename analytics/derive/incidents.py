"""Incidents: event records that describe the same occurrence, clustered across sentences and articles.

Rules (settings in data/derive.yaml), applied in one pass per block, never over all pairs:

1. Reports are compared only within their type family and, for dates, as periods: a date of
   day precision is that day widened by `slack_days`; a week or month is the whole week or month.
2. Reports naming a specific place (a city, town, site) are blocked by (family, place), read in
   date order (in a crowded block only the `nearest_candidates` incidents nearest in date are compared), and each joins the open incident whose day-precise reports it stays within
   `max_span_days` of, when the acting sides agree (same side, or one unnamed). Reports dated
   only to a month or year cannot be put on a day: they join only an incident holding a report
   from their own article.
3. A report naming only an oblast, front or sea joins the best incident inside it (same oblast or
   theatre, dates fitting): it attaches, so it never chains two places together.
4. A report with no place (or only a country) joins only an incident of its own article.
5. Imported dataset rows (ACLED, Eyes on Russia) are incidents of their own; a news incident
   with the same family, a compatible place and fitting dates is linked to them as corroboration.

Canonical fields (incident_summary.sql): the date is the day most reports give (ties: the
earliest), else the earliest period start; the place is the most specific place given, the most
reported among equals (ties: alphabetical); the type is the most reported.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics.derive.common import Clusters, factuality_expr, frame, outlet_expr, settings

DEFAULT_DATASETS = ("acled", "gdelt", "eyes-on-russia")


def is_dataset(origins: pd.Series, cfg: dict) -> pd.Series:
    """Rows from an imported conflict dataset (data/derive.yaml: dataset_origins)."""
    return origins.isin(list(cfg.get("dataset_origins", DEFAULT_DATASETS)))


def load_events(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Event records that count (asserted, or no factuality yet), with place kind, oblast and side."""
    fact = factuality_expr(con, "events", "e")
    sql = f"""
        SELECT e.record_id, e.doc_id, e.sentence_no, e.event_type, e.sub_event_type, e.location,
               coalesce(e.theatre, p.theatre) AS theatre, e.date, e.date_precision, e.origin,
               coalesce(e.span_start, e.date) AS period_start,
               period_end(e.date, e.date_precision, e.span_end) AS period_end,
               p.kind AS place_kind, p.admin1, {outlet_expr("d")} AS outlet, a.side
        FROM events e
        JOIN documents d ON d.doc_id = e.doc_id
        LEFT JOIN places p ON p.name = e.location
        LEFT JOIN (SELECT record_id, arg_min(side, position) AS side FROM record_actors
                   WHERE role = 'actor' GROUP BY record_id) a ON a.record_id = e.record_id
        WHERE coalesce({fact}, 'asserted') = 'asserted' AND e.date IS NOT NULL
        ORDER BY e.record_id
    """  # noqa: S608 - fact is a fixed expression
    return frame(con, sql)


def family_of(event_type: str, sub_event_type: str | None, families: dict) -> str:
    if sub_event_type and f"{event_type}/{sub_event_type}" in families:
        return families[f"{event_type}/{sub_event_type}"]
    return families.get(event_type, event_type)


def families_of(df: pd.DataFrame, families: dict) -> list[str]:
    """family_of for each row of `df` (event_type, sub_event_type), worked out once per distinct pair:
    a million dataset rows hold a handful of pairs."""
    pairs = list(zip(df.event_type.tolist(), df.sub_event_type.tolist(), strict=True))
    of = {p: family_of(p[0], p[1], families) for p in set(pairs)}
    return [of[p] for p in pairs]


@dataclass
class _Incident:
    cid: int
    family: str
    lo: int | None  # day-precise span (ordinal days)
    hi: int | None
    plo: int  # whole period
    phi: int
    sides: set = field(default_factory=set)
    docs: dict = field(default_factory=dict)  # doc_id -> sentence numbers
    size: int = 0


class _Clusterer:
    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.slack = int(cfg.get("slack_days", 1))
        self.max_span = int(cfg.get("max_span_days", 2))
        self.nearest = int(cfg.get("nearest_candidates", 16))
        self.families = cfg.get("families", {})
        self.coarse_kinds = set(cfg.get("coarse_place_kinds", []))
        self.unknown_kinds = set(cfg.get("unknown_place_kinds", []))
        self.clusters = Clusters()
        self.inc: dict[int, _Incident] = {}
        # Blocks: key -> sorted [(anchor start, cid)]; the date window is found by bisection.
        self.blocks: dict[tuple, list[tuple[int, int]]] = {}
        self.by_doc: dict[tuple, list[int]] = {}

    def level(self, row) -> str:
        if row.location is None or row.place_kind in self.unknown_kinds:
            return "unknown"
        if row.place_kind in self.coarse_kinds:
            return "coarse"
        return "specific"

    # -- date fit ---------------------------------------------------------------------------
    def fits(self, c: _Incident, ps: int, pe: int, day: bool, doc: str, side) -> bool:
        if side is not None and c.sides and side not in c.sides:
            return False
        if doc not in c.docs and ((not day and pe - ps > 6) or (c.lo is None and c.phi - c.plo > 6)):
            return False  # a month or a year cannot be placed on a day: only its own article's incident
        lo, hi = (c.lo, c.hi) if c.lo is not None else (c.plo, c.phi)
        if ps - self.slack > hi or pe + self.slack < lo:
            return False
        if day and c.lo is not None and max(c.hi, pe) - min(c.lo, ps) > self.max_span:
            return False
        return True

    def _window(self, key: tuple, ps: int, pe: int) -> list[int]:
        """Incidents of a block whose anchor may reach [ps, pe]: a day-anchored incident starts at most
        max_span + slack days before; one anchored on a week, month or year at most a year before."""
        out = []
        for kind, reach in (("day", self.slack + self.max_span), ("period", self.slack + 366)):
            lst = self.blocks.get(key + (kind,), [])
            i = bisect.bisect_left(lst, (ps - reach, -1))
            j = bisect.bisect_right(lst, (pe + self.slack, 1 << 62))
            if j - i > self.nearest:
                # A crowded block (a front on a busy day): only the incidents anchored nearest in date,
                # so each report costs a bounded number of comparisons.
                mid = bisect.bisect_left(lst, (ps, -1), i, j)
                i = max(i, min(mid - self.nearest // 2, j - self.nearest))
                j = i + self.nearest
            out.extend(cid for _, cid in lst[i:j])
        return sorted(out)

    def _register(self, key: tuple, c: _Incident) -> None:
        if c.lo is not None:
            bisect.insort(self.blocks.setdefault(key + ("day",), []), (c.lo, c.cid))
        else:
            bisect.insort(self.blocks.setdefault(key + ("period",), []), (c.plo, c.cid))

    def _open(self, row, ps, pe, day, reason: str, keys: list[tuple]) -> _Incident:
        cid = self.clusters.new(row.record_id, reason)
        c = _Incident(cid, row.family, ps if day else None, pe if day else None, ps, pe)
        self.inc[cid] = c
        self._join_state(c, row, ps, pe, day)
        for k in keys:
            self._register(k, c)
        return c

    def _join_state(self, c: _Incident, row, ps, pe, day) -> None:
        if day:
            c.lo = ps if c.lo is None else min(c.lo, ps)
            c.hi = pe if c.hi is None else max(c.hi, pe)
        c.plo, c.phi = min(c.plo, ps), max(c.phi, pe)
        if row.side is not None:
            c.sides.add(row.side)
        c.docs.setdefault(row.doc_id, []).append(row.sentence_no)
        key = (row.doc_id, row.family)
        if c.cid not in self.by_doc.setdefault(key, []):
            self.by_doc[key].append(c.cid)
        c.size += 1

    def _add(self, c: _Incident, row, ps, pe, day, reason: str) -> None:
        self.clusters.add(c.cid, row.record_id, reason)
        self._join_state(c, row, ps, pe, day)

    @staticmethod
    def _dist(c: _Incident, ps: int, pe: int) -> float:
        lo, hi = (c.lo, c.hi) if c.lo is not None else (c.plo, c.phi)
        return abs((lo + hi) / 2 - (ps + pe) / 2)

    def run(self, df: pd.DataFrame) -> Clusters:
        # Only news reports are clustered; dataset rows are incidents of their own (dataset_incidents),
        # and preparing a million of them here cost seconds for nothing.
        df = df[~is_dataset(df.origin, self.cfg)]
        if df.empty:
            return self.clusters
        epoch = dt.date(1970, 1, 1).toordinal()
        ps = (pd.to_datetime(df.period_start) - pd.Timestamp("1970-01-01")).dt.days.to_numpy() + epoch
        pe = (pd.to_datetime(df.period_end) - pd.Timestamp("1970-01-01")).dt.days.to_numpy() + epoch
        df = df.astype(object)  # plain Python values: the loops below read them one by one
        df = df.assign(
            family=families_of(df, self.families),
            ps=ps.tolist(),
            pe=pe.tolist(),
        )
        df["day"] = (df.pe - df.ps) == 0
        df = df.astype(object).where(df.notna(), None)
        df["level"] = [self.level(r) for r in df.itertuples(index=False)]
        order = ["day", "ps", "record_id"]
        news = df.sort_values(order, ascending=[False, True, True], kind="stable")
        self._specific(news[news.level == "specific"])
        self._coarse(news[news.level == "coarse"])
        self._unknown(news[news.level == "unknown"])
        return self.clusters

    def _specific(self, rows: pd.DataFrame) -> None:
        for r in rows.itertuples(index=False):
            key = ("place", r.family, r.location)
            cands = [self.inc[c] for c in self._window(key, r.ps, r.pe)]
            fit = [c for c in cands if self.fits(c, r.ps, r.pe, r.day, r.doc_id, r.side)]
            if fit:
                best = min(fit, key=lambda c: (self._dist(c, r.ps, r.pe), c.cid))
                self._add(best, r, r.ps, r.pe, r.day, f"same place ({r.location}), dates within "
                          f"{self.slack} day(s), sides agree")  # fmt: skip
            else:
                keys = [key]
                if r.admin1:
                    keys.append(("admin1", r.family, r.admin1))
                if r.theatre:
                    keys.append(("theatre", r.family, r.theatre))
                self._open(r, r.ps, r.pe, r.day, "first report", keys)

    def _coarse(self, rows: pd.DataFrame) -> None:
        for r in rows.itertuples(index=False):
            inside_key = (
                ("admin1", r.family, r.location)
                if r.place_kind in ("oblast", "province")
                else (("theatre", r.family, r.theatre) if r.theatre else None)
            )
            fit: list[_Incident] = []
            if inside_key:
                fit = [self.inc[c] for c in self._window(inside_key, r.ps, r.pe)]
                fit = [c for c in fit if self.fits(c, r.ps, r.pe, r.day, r.doc_id, r.side)]
            if fit:
                best = min(fit, key=lambda c: (-c.size, self._dist(c, r.ps, r.pe), c.cid))
                self._add(best, r, r.ps, r.pe, r.day, f"place {r.location} contains the incident's place; "
                          "dates fit, sides agree")  # fmt: skip
                continue
            key = ("coarse", r.family, r.location)
            same = [self.inc[c] for c in self._window(key, r.ps, r.pe)]
            same = [c for c in same if self.fits(c, r.ps, r.pe, r.day, r.doc_id, r.side)]
            if same:
                best = min(same, key=lambda c: (self._dist(c, r.ps, r.pe), c.cid))
                self._add(best, r, r.ps, r.pe, r.day, f"same area ({r.location}), dates fit, sides agree")
            else:
                self._open(r, r.ps, r.pe, r.day, "first report", [key])

    def _unknown(self, rows: pd.DataFrame) -> None:
        for r in rows.itertuples(index=False):
            cands = [self.inc[c] for c in self.by_doc.get((r.doc_id, r.family), [])]
            fit = [c for c in cands if self.fits(c, r.ps, r.pe, r.day, r.doc_id, r.side)]
            if fit:
                best = min(fit, key=lambda c: (min(abs(s - r.sentence_no) for s in c.docs[r.doc_id]), c.cid))
                self._add(best, r, r.ps, r.pe, r.day, "no place given; same article, dates fit")
            else:
                self._open(r, r.ps, r.pe, r.day, "first report (no place given)", [])


def cluster_incidents(df: pd.DataFrame, cfg: dict | None = None) -> Clusters:
    """News event records clustered into incidents (dataset rows are left to `dataset_incidents`)."""
    cfg = cfg if cfg is not None else settings()["incidents"]
    return _Clusterer(cfg).run(df)


def dataset_incidents(df: pd.DataFrame, clusters: Clusters, cfg: dict | None = None) -> None:
    """Each imported dataset row becomes an incident of its own, in the same Clusters."""
    cfg = cfg if cfg is not None else settings()["incidents"]
    rows = df.loc[is_dataset(df.origin, cfg), ["record_id", "origin"]].sort_values("record_id")
    for record_id, origin in zip(rows.record_id.tolist(), rows.origin.tolist(), strict=True):
        clusters.new(record_id, f"{origin} row: an incident of its own")


def corroboration(df: pd.DataFrame, ids: dict[str, str], cfg: dict | None = None) -> pd.DataFrame:
    """(incident_id, dataset_incident_id, dataset, reason): dataset incidents that match a news incident.

    A match needs the same family, fitting dates (periods within slack_days) and a compatible
    place: the same place, or the dataset row inside the news report's oblast, or the news report
    inside the dataset row's oblast. Blocked by (family, place) and (family, oblast).
    """
    cfg = cfg if cfg is not None else settings()["incidents"]
    slack = int(cfg.get("slack_days", 1))
    families = cfg.get("families", {})
    cols = ["incident_id", "dataset_incident_id", "dataset", "reason"]
    data_rows = is_dataset(df.origin, cfg) if not df.empty else None
    if df.empty or data_rows.all() or not data_rows.any():
        return pd.DataFrame(columns=cols)
    d = df.assign(
        family=families_of(df, families), incident_id=df.record_id.map(ids), dataset=data_rows
    ).dropna(subset=["location"])
    news, data = d[~d.dataset], d[d.dataset]
    index: dict[tuple, list] = {}
    for r in news.itertuples(index=False):
        index.setdefault(("place", r.family, r.location), []).append(r)
        if r.place_kind in ("oblast", "province"):
            index.setdefault(("admin1", r.family, r.location), []).append(r)
    out: set[tuple] = set()
    for r in data.itertuples(index=False):
        keys = [("place", r.family, r.location, "same place")]
        if r.admin1:
            keys.append(("admin1", r.family, r.admin1, f"inside {r.admin1}"))
            keys.append(("place", r.family, r.admin1, f"inside {r.admin1}"))
        for k0, k1, k2, why in keys:
            for n in index.get((k0, k1, k2), []):
                if n.period_start - dt.timedelta(days=slack) <= r.period_end and \
                        r.period_start - dt.timedelta(days=slack) <= n.period_end:  # fmt: skip
                    out.add((n.incident_id, r.incident_id, r.origin, f"{why}, dates within {slack} day(s)"))
    rows = sorted(out)
    # One reason per pair: the first (sorted) wins, so reruns write the same rows.
    return pd.DataFrame(rows, columns=cols).drop_duplicates(["incident_id", "dataset_incident_id"])
