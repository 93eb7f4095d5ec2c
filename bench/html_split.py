"""How long html_text takes to split a 100 KB post (25 sections of 30 paragraphs).

The test suite bounds the work (function calls, linear growth); the time is here.

Run: ``.venv/bin/python -m bench.html_split``
"""

from __future__ import annotations

import time

from briefing.html_text import html_to_stories

SECTIONS = 25
PARAGRAPHS = 30
REPEATS = 5


def post(sections: int) -> str:
    """A post of ``sections`` h2 sections, each of ``PARAGRAPHS`` paragraphs with inline tags."""
    section = "<h2>Section {n}</h2>" + (
        "<p>Some <a href='https://example.org/{n}'>linked</a> words &amp; more text "
        "with <strong>bold</strong> and <em>emphasis</em> to fill a paragraph.</p>" * PARAGRAPHS
    )
    return "".join(section.format(n=n) for n in range(sections))


def main() -> None:
    for sections in (SECTIONS, SECTIONS * 4):
        html = post(sections)
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            html_to_stories(html, "Harbour Daily")
            timings.append(time.perf_counter() - started)
        print(
            f"{len(html) / 1000:6.0f} KB post: {min(timings) * 1000:7.1f} ms (best of {REPEATS})"
        )


if __name__ == "__main__":
    main()
