"""An article's outlet (publisher): from its metadata, its url's host, or a phrase in which the outlet names itself.

The order is fixed: front matter (`outlet`, then `source`), the catalogue, a saved page's site
name, the url's host, then the general text rules of `data/outlets.yaml` (a dateline such as
"MINSK, 28 January (BelTA) –", the outlet's own app advertised in the page). A text that only
quotes another outlet ("told CNN") gives none: a wrong outlet in a citation is worse than none.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from analytics import schemas

OUTLETS_FILE = "outlets.yaml"
# Corpus files are named 20220125T090000Z_GB_en_7d015e6984.txt: the outlet's country second.
_FILE_COUNTRY = re.compile(r"^\d{8}T\d{6}Z_([A-Z]{2})_")
_START_CHARS = 600  # where a dateline may stand: the title line and the first lines after it


@functools.cache
def _rules(data_dir: str) -> tuple[list[tuple[str, re.Pattern]], dict[str, str]]:
    path = Path(data_dir) / OUTLETS_FILE
    data = schemas.validate(OUTLETS_FILE, yaml.safe_load(path.read_text(encoding="utf-8")) or {}, path)
    rules = [
        (r.get("where", "anywhere"), re.compile(r["pattern"], re.MULTILINE))
        for r in data.get("text_rules", [])
    ]
    names = {str(k).lower(): str(v) for k, v in (data.get("names") or {}).items()}
    return rules, names


def _data_dir() -> str:
    from analytics import config

    return str(config.vocabulary_file(OUTLETS_FILE).parent)


def canonical(name: str) -> str:
    """One spelling per outlet (data/outlets.yaml `names`); otherwise the name as found, trimmed."""
    name = " ".join(str(name).split())
    _, names = _rules(_data_dir())
    return names.get(name.lower(), name)


def host(url: str | None) -> str | None:
    """The url's host without 'www.': the outlet when nothing else names it."""
    if not url:
        return None
    try:
        netloc = urlsplit(str(url).strip()).hostname or ""
    except ValueError:
        return None
    netloc = netloc.removeprefix("www.")
    return netloc or None


def from_text(text: str) -> str | None:
    """The outlet a general text rule finds where the outlet names itself, or None."""
    rules, _ = _rules(_data_dir())
    body = text.strip()
    for where, pattern in rules:
        # A dateline opens the article (after its title line); an advert may sit anywhere.
        m = pattern.search(body[:_START_CHARS] if where == "start" else body)
        if m:
            found = m.group("outlet").strip()
            return canonical(found.title() if found.isupper() and len(found) > 4 else found)
    return None


def resolve(
    *, front: dict, catalogue: dict, page: dict, url: str | None, text: str
) -> tuple[str | None, str | None]:
    """(outlet, basis): the first source that names it, and which one that was."""
    for value, basis in ((front.get("outlet") or front.get("source"), "front matter"),
                         (catalogue.get("outlet") or catalogue.get("source"), "catalogue"),
                         (page.get("source"), "page metadata")):  # fmt: skip
        if value and str(value).strip():
            return canonical(str(value)), basis
    if host(url):
        return canonical(host(url)), "url host"
    found = from_text(text)
    return (found, "text") if found else (None, None)


def country_from_name(name: str) -> str | None:
    """The outlet's country when the file name carries it (the corpus's naming), else None."""
    m = _FILE_COUNTRY.match(name)
    return m.group(1) if m else None
