"""Which URLs may be fetched or shown: http(s), bounded, a valid host and port.

A link shown to readers (:func:`safe_link`) never carries credentials; a URL only fetched
(:func:`fetchable_url`) keeps them, since a protected feed needs them for its comment feeds.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import idna

MAX_URL_LENGTH = 2048
SCHEMES = frozenset({"http", "https"})
MAX_HOST_LENGTH = 253
MAX_LABEL_LENGTH = 63
SHOWN_LIMIT = 120

_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f]")
_ASCII_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be fetched or linked to, in a few words; ``None`` when it can."""
    if len(url) > MAX_URL_LENGTH:
        return f"the URL is longer than {MAX_URL_LENGTH:,} characters"
    if _UNSAFE_CHARACTERS.search(url):
        return "the URL contains spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in SCHEMES:
        return "not an http(s) URL"
    host = _host_text(parts)
    if not host:
        return "the URL has no host"
    return _port_problem(parts) or _host_problem(host)


def fetchable_url(url: str | None, base: str | None = None) -> str | None:
    """``url``, resolved against ``base``, if it may be fetched; credentials are kept."""
    if url is None or not url.strip():
        return None
    value = url.strip().replace(" ", "%20")  # as browsers do; feeds carry such links
    if base:
        try:
            value = urljoin(base, value)
        except ValueError:
            return None
    return value if url_problem(value) is None else None


def safe_link(url: str | None, base: str | None = None) -> str | None:
    """``url``, resolved against ``base``, fit to show as a link, without credentials.

    ``None`` for anything but a valid http(s) URL (``javascript:``, ``data:``, ``file:``,
    too long, a bad port or host).
    """
    fetchable = fetchable_url(url, base)
    return without_credentials(fetchable) if fetchable is not None else None


def without_credentials(url: str) -> str:
    """``url`` without the ``user:password@`` of its authority, if it has one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2] if "@" in url else url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def shown_url(url: str, limit: int = SHOWN_LIMIT) -> str:
    """``url`` for a message or a log line: no credentials, at most ``limit`` characters."""
    shown = _UNSAFE_CHARACTERS.sub("", without_credentials(url.strip()).replace(" ", "%20"))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _host_text(parts: SplitResult) -> str:
    """The host as written (brackets of an IPv6 literal removed), lower case."""
    authority = parts.netloc.rpartition("@")[2]
    if authority.startswith("["):
        return authority[1:].partition("]")[0].lower()
    return authority.partition(":")[0].lower()


def _port_problem(parts: SplitResult) -> str | None:
    authority = parts.netloc.rpartition("@")[2]
    after_host = authority.rpartition("]")[2] if authority.startswith("[") else authority
    _, colon, raw = after_host.partition(":")
    if not colon or not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= 65535:
        return f"invalid port {raw[:12]!r} (1 to 65535)"
    return None


def _host_problem(host: str) -> str | None:
    """Why ``host`` is not an IP address or a valid (IDNA 2008) domain name."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return "invalid IPv6 address in the URL"
        return None
    name = host.removesuffix(".")
    if len(name) > MAX_HOST_LENGTH:
        return f"the host name is longer than {MAX_HOST_LENGTH} characters"
    if not name.isascii():
        try:
            # As httpx encodes it, so that a name passed here is one it can fetch.
            name = idna.encode(name).decode("ascii")
        except (idna.IDNAError, UnicodeError, ValueError):
            return "invalid international host name"
    labels = name.split(".")
    if len(labels) == 4 and all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            return "invalid IPv4 address in the URL"
        return None
    for label in labels:
        if not label or len(label) > MAX_LABEL_LENGTH or not _ASCII_LABEL.match(label):
            return "invalid host name"
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                return "invalid international host name"
    return None
