"""Generated articles for browser tests: distinct texts that each yield records of every kind."""

from __future__ import annotations

PLACES = ["Kherson", "Kharkiv", "Odesa", "Bakhmut", "Zaporizhzhia", "Mykolaiv", "Dnipro", "Sumy"]
PARAGRAPHS = [
    "Russian forces shelled {place} on Monday, the regional governor said.",
    "Ukraine accused Russia of attacking {place} with drones on Tuesday.",
    "The Kremlin denied that its troops had struck civilian targets in {place}.",
    "The United States announced ${amount} million in military aid to Ukraine on Wednesday.",
    "Zelensky met the German chancellor in Kyiv to discuss air defence for {place}.",
    "Ukrainian forces repelled an assault near {place}, the General Staff said.",
]


def article(i: int, paragraphs: int = 24) -> tuple[str, bytes]:
    """(file name, bytes) of generated article number i: a Markdown file with front matter."""
    body = []
    for p in range(paragraphs):
        place = PLACES[(i + p) % len(PLACES)]
        body.append(PARAGRAPHS[p % len(PARAGRAPHS)].format(place=place, amount=100 + 7 * i + p))
    text = (f"---\ntitle: Generated report {i}\npublished: 2023-05-{1 + i % 28:02d}\nsource: test wire\n---\n"
            f"Generated report {i}\n\n" + "\n\n".join(body) + f"\n\nReport number {i} ends here.\n")  # fmt: skip
    return f"generated-{i:03d}.md", text.encode()
