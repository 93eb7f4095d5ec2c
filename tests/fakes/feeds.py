"""An original two-entry feed with per-entry comment feeds, served by the test HTTP server."""

from __future__ import annotations

from tests.fakes.http_server import HttpServer, static

RSS = "application/rss+xml; charset=utf-8"


def feed(base: str, *, body_extra: str = "", comments: int = 2) -> bytes:
    """An original two-entry WordPress-style feed with sub-headings and comment feeds."""
    items = []
    for number, (title, extra) in enumerate(
        [("Harbour Daily: Tides and Ferries", body_extra), ("Harbour Daily: Market Day", "")],
        start=1,
    ):
        items.append(
            f"""<item><title>{title}</title><link>{base}/post/{number}</link>
<guid isPermaLink="false">{base}/?p={number}</guid>
<pubDate>Tue, 24 Nov 2026 0{number}:00:00 +0000</pubDate>
<wfw:commentRss>{base}/post/{number}/feed</wfw:commentRss>
<slash:comments>{comments if number == 1 else 0}</slash:comments>
<content:encoded><![CDATA[<p>The spring tide came in early this week. Boats waited
at the outer mooring for an hour.{extra}</p>
<h2>Ferry times change</h2><p>The winter ferry leaves an hour later from Monday.</p>
<h2>Quay repairs</h2><p>Work on the quay steps starts in March.</p>
<img src="x.png"><script>alert(1)</script>]]></content:encoded></item>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Daily</title><link>{base}</link>{"".join(items)}
</channel></rss>""".encode()


def comment_feed(base: str, count: int) -> bytes:
    """An original per-post comment feed with ``count`` comments."""
    items = "".join(
        f"""<item><title>By: Reader {n}</title><link>{base}/post/1#comment-{n}</link>
<dc:creator>Reader {n}</dc:creator><guid isPermaLink="false">{base}/?p=1#comment-{n}</guid>
<pubDate>Tue, 24 Nov 2026 0{n}:30:00 +0000</pubDate>
<content:encoded><![CDATA[<p>Comment number {n} about the ferry timetable and the tides.</p>]]>
</content:encoded></item>"""
        for n in range(1, count + 1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Comments</title><link>{base}</link>{items}</channel></rss>""".encode()


def serve_feed(
    server: HttpServer, *, etag: str = '"v1"', extra: str = "", comments: int = 2
) -> str:
    """Serve :func:`feed` at ``/feed.xml`` and its comment feeds; the feed's URL."""
    base = server.base_url
    server.route("/post/1/feed", static(comment_feed(base, comments), content_type=RSS))
    server.route("/post/2/feed", static(comment_feed(base, 0), content_type=RSS))
    return server.route(
        "/feed.xml",
        static(feed(base, body_extra=extra, comments=comments), content_type=RSS, etag=etag),
    )
