"""Reading articles from disk: .txt, .md (with optional YAML front matter) and saved .html pages.

A `Document` carries the decoded text that offsets index into (front matter removed, as the
extract contract says) and the metadata found in front matter, in `seeds/catalogue.yaml`-style
catalogues beside the file, or in the file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analytics import config, outlets

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
CATALOGUE_NAME = "catalogue.yaml"

# Corpus files are named like 20220125T090000Z_GB_en_7d015e6984.txt: UTC publication time first.
_FILENAME_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word/Excel file)",
    b"\x7fELF": "an executable",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}


class ArticleError(ValueError):
    """An article cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Document:
    name: str  # file name, no directories
    text: str  # the text offsets index into
    title: str
    published: dt.date | None
    published_precision: str | None  # day | week | month | year
    published_basis: str | None  # front matter | catalogue | file name | inferred | given
    source: str | None
    url: str | None
    content_hash: str  # sha256 of the text: identity of the article
    outlet: str | None = (
        None  # the publisher (analytics.outlets: metadata, url host, or the text naming itself)
    )
    outlet_basis: str | None = None  # front matter | catalogue | page metadata | url host | text
    outlet_country: str | None = None  # ISO country code when the file name carries it (the corpus's naming)

    @property
    def doc_id(self) -> str:
        return self.content_hash[:16]


def content_hash(text: str) -> str:
    # Normalise line endings so the same article saved on Windows is the same article.
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 first; other encodings only when detected with confidence."""
    if not raw.strip():
        raise ArticleError(f"{name}: the file is empty; save the article's text into it and try again")
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise ArticleError(f"{name}: this is {what}, not text; save the article as .txt, .md or .html")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_legacy(raw, name, exc)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise ArticleError(f"{name}: the file holds NUL bytes, so it is binary, not text")
    return text


def _decode_legacy(raw: bytes, name: str, exc: UnicodeDecodeError) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["cp1251", "cp1252", "latin_1", "koi8_r", "utf_16"]).best()
    # charset-normalizer's chaos score: low means the decoded text reads like language. The
    # script check refuses bytes that decode "cleanly" into the wrong alphabet (CJK from a
    # stray UTF-16 mark): articles here are in Latin or Cyrillic script.
    if best is None or best.chaos > 0.2 or not _plausible_script(str(best)):
        raise ArticleError(
            f"{name}: not valid UTF-8 (byte {exc.start}) and the encoding could not be detected "
            "reliably; re-save the file as UTF-8"
        )
    return str(best)


def _plausible_script(text: str) -> bool:
    ok = sum(
        1
        for c in text
        if c.isspace() or " " <= c <= "~" or "\u00a0" <= c <= "\u024f" or "\u0400" <= c <= "\u052f"
        or "\u2000" <= c <= "\u20cf"
    )  # fmt: skip
    return ok >= 0.95 * len(text)


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """Front matter (a `---` … `---` block at the very top) and the body after it.

    The body starts after the line that closes the block, exactly as the evaluation scorer
    cuts it, so offsets agree.
    """
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        raise ArticleError(
            f"{name}: front matter opened with '---' is never closed; add a '---' line after it"
        )
    block = text[3:end]
    rest = text[end + 4 :]
    body = rest[rest.index("\n") + 1 :] if "\n" in rest else ""
    try:
        meta = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleError(f"{name}: malformed front matter{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(meta, dict):
        raise ArticleError(f"{name}: front matter must be 'key: value' lines, got {type(meta).__name__}")
    return meta, body


def html_to_text(html: str, name: str) -> tuple[str, dict]:
    """Main text and metadata of a saved web page (trafilatura; scripts and markup dropped)."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise ArticleError(f"{name}: no article text found in this HTML page; save the article body as .txt")
    meta = {}
    md = trafilatura.extract_metadata(html)
    if md is not None:
        meta = {"title": md.title, "published": md.date, "source": md.sitename, "url": md.url}
    title = meta.get("title")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    return text, {k: v for k, v in meta.items() if v}


def parse_date(value, name: str, field: str = "published") -> tuple[dt.date | None, str | None]:
    """A metadata date (YYYY, YYYY-MM or YYYY-MM-DD, or a YAML date) and its precision."""
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    s = str(value).strip()
    for fmt, precision in (("%Y-%m-%d", "day"), ("%Y-%m", "month"), ("%Y", "year")):
        try:
            return dt.datetime.strptime(s[: len(dt.date(2000, 1, 1).strftime(fmt))], fmt).date(), precision
        except ValueError:
            continue
    raise ArticleError(f"{name}: {field} date {s!r} is not YYYY-MM-DD (or YYYY-MM, YYYY)")


def _catalogue(folder: Path) -> dict:
    path = folder / CATALOGUE_NAME
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ArticleError(f"{path}: cannot read the catalogue ({exc})") from exc
    return data.get("articles", {}) if isinstance(data, dict) else {}


def build_document(
    name: str, raw: bytes, *, meta: dict | None = None, published: str | None = None
) -> Document:
    """A Document from a file's bytes. `meta` is catalogue metadata; `published` overrides all."""
    name = safe_name(name)
    text = decode(raw, name)
    text = text.replace("\r\n", "\n")
    found: dict = {}
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm"):
        text, found = html_to_text(text, name)
    else:
        front, text = split_front_matter(text, name)
        found = {k: front[k] for k in ("title", "published", "date", "source", "outlet", "url") if k in front}
        if "date" in found and "published" not in found:
            found["published"] = found.pop("date")
    if not text.strip():
        raise ArticleError(f"{name}: there is no article text after the front matter")
    basis = None
    date = precision = None
    if published:
        date, precision = parse_date(published, name)
        basis = "given"
    elif found.get("published"):
        date, precision = parse_date(found["published"], name)
        basis = "front matter" if suffix not in (".html", ".htm") else "page metadata"
    elif meta and meta.get("published"):
        date, precision = parse_date(meta["published"], name)
        basis = meta.get("published_basis", "catalogue")
    else:
        stamped = filename_time(name)
        if stamped:
            date, precision, basis = stamped.date(), "day", "file name"
    meta = meta or {}
    first_line = text.strip().split("\n", 1)[0].strip()
    url = found.get("url") or meta.get("url")
    page = found if suffix in (".html", ".htm") else {}
    outlet, outlet_basis = outlets.resolve(front={} if page else found, catalogue=meta, page=page,
                                           url=url, text=text)  # fmt: skip
    return Document(
        name=name,
        text=text,
        title=str(found.get("title") or meta.get("title") or first_line)[:300],
        published=date,
        published_precision=precision,
        published_basis=basis,
        source=found.get("source") or meta.get("source"),
        url=url,
        content_hash=content_hash(text),
        outlet=outlet,
        outlet_basis=outlet_basis,
        outlet_country=outlets.country_from_name(name),
    )


def filename_time(name: str) -> dt.datetime | None:
    """The UTC publication time a file name starts with (the corpus's naming: 20220429T000000Z_…)."""
    m = _FILENAME_TIME.match(name)
    return dt.datetime(*map(int, m.groups())) if m else None


def max_article_bytes() -> int:
    """The size limit for one article: $DASHBOARD_MAX_ARTICLE_MB megabytes, 20 by default."""
    return int(config.get("DASHBOARD_MAX_ARTICLE_MB") * 1024 * 1024)


def safe_name(name: str) -> str:
    """A display name for a file from anywhere (an upload, a path): its last component only,
    without control characters, so "../../etc/passwd" or "C:\\x\\a.txt" can never point elsewhere."""
    base = re.split(r"[\\/]", str(name))[-1]
    base = "".join(c for c in base if c.isprintable()).strip().lstrip(".")
    return base[:200] or "unnamed"


def read_document(path: Path, *, published: str | None = None, max_bytes: int | None = None) -> Document:
    path = Path(path)
    name = safe_name(path.name)
    max_bytes = max_article_bytes() if max_bytes is None else max_bytes
    if path.suffix.lower() not in SUFFIXES:
        raise ArticleError(f"{name}: unsupported file type {path.suffix or '(none)'}; use .txt, .md or .html")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(
                f"{name}: {size / 2**20:.1f} MB is over the {max_bytes / 2**20:g} MB limit; "
                "split the file or raise DASHBOARD_MAX_ARTICLE_MB"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{name}: cannot read the file ({exc.strerror})") from exc
    return build_document(name, raw, meta=_catalogue(path.parent).get(name), published=published)


def iter_article_paths(paths) -> list[Path]:
    """Article files under the given files and folders, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES))
        else:
            out.append(p)
    return out
