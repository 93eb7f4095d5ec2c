"""Parse a plain-text digest edition into a :class:`~briefing.models.Briefing`.

The format, one paragraph per line and paragraphs separated by blank lines:

* the title on the first line;
* stories, each a short heading line (no final sentence punctuation) followed by its
  paragraphs; the lead heading is often followed by two blank lines;
* boilerplate such as "Related Posts", share widgets and copyright lines, which is dropped;
* a reader discussion: numbered comments (``  1. text``) whose replies are bullets
  (``•``, ``-``, ``*``, ``◦``) at deeper indentation, each reply belonging to the nearest
  preceding comment that is indented less; indented paragraphs continue a comment.

Everything runs in time linear in the input: line-by-line passes and anchored regexes only.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from dataclasses import dataclass, field

from briefing.models import Block, BlockKind, Briefing, Comment, Story
from briefing.urls import safe_link

_TAB_WIDTH = 4
_MAX_TITLE_CHARS = 300
_MAX_HEADING_CHARS = 150
_MAX_HEADING_WORDS = 20
# Hard-wrapped text is wrapped at a width of at most this many columns; a document with
# longer lines has one paragraph per line and its line breaks are kept.
_MAX_WRAP_WIDTH = 100
# Wrappers and their indentation make the margin ragged by a few columns.
_WRAP_SLACK = 8
_BINARY_SAMPLE_CHARS = 65_536
_MAX_CONTROL_RATIO = 0.02
_MAX_AUTHOR_CHARS = 60
_MAX_AUTHOR_WORDS = 5
_MAX_BOILERPLATE_CHARS = 200

_OPENING_QUOTES = frozenset('“"«„')
_CLOSING_QUOTES = frozenset('”"»“')
_DOUBLE_QUOTES = frozenset('“”"«»„')
_CLOSERS = "”\u2019\"»)]'"  # \u2019: right single quotation mark
_NO_HEADING_ENDINGS = frozenset(".,;:…-\u2013—")  # \u2013: en dash
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

_NUMBERED = re.compile(r"(\d{1,9})\.[ \t]+(?=\S)")
_BULLET = re.compile(r"[•◦‣▪●*-][ \t]+(?=\S)")
_QUOTE_PREFIX = re.compile(r">[ \t]?")
_BOILERPLATE_LINE = re.compile(
    r"(?:share this|like this|(?:like )?loading(?:\.{3}|…)|leave a (?:comment|reply)"
    r"|reply|print|email|tweet|share|facebook|twitter|reddit|linkedin|whatsapp|telegram"
    r"|pinterest|tumblr|pocket|more)[ \t]*:?",
    re.IGNORECASE,
)
_BOILERPLATE_PREFIX = re.compile(
    r"click to |share on |(?:posted|filed) (?:in|under)\b|tagged\b|©|\(c\) |copyright\b"
    r"|all rights reserved",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    r"related(?: posts| articles| stories| reading)?"
    r"|(?:\d+|no|one) (?:comments?|responses?|replies|thoughts? on\b.*)"
    r"|comments|reader comments|join the discussion",
    re.IGNORECASE,
)
_TRAILING_FORM = ("leave a comment", "leave a reply")


class NotADigestError(ValueError):
    """The text is not a plain-text digest; ``str(error)`` is a one-line reason."""


@dataclass(frozen=True, slots=True)
class _Chunk:
    """A run of non-blank lines, as (indentation, stripped text) pairs."""

    lines: tuple[tuple[int, str], ...]
    blanks_after: int
    boundary: bool = False

    @property
    def indent(self) -> int:
        return self.lines[0][0]

    @property
    def first(self) -> str:
        return self.lines[0][1]


@dataclass(slots=True)
class _Item:
    """A comment being assembled from the discussion's chunks."""

    number: int | None
    author: str | None
    parent: int | None
    paragraphs: list[str] = field(default_factory=list)


def parse_digest(text: str, key: str, url: str | None = None) -> Briefing:
    """Parse a plain-text digest edition.

    Args:
        text: the whole edition.
        key: the briefing's identity across ingests (e.g. the file's URI).
        url: where the edition was published, if known; kept only if fit to show as a link
            (http(s), credentials left out).

    Raises:
        NotADigestError: the text is empty, binary, markup, JSON, or has no title with
            headed stories.
    """
    lines = _normalized_lines(text)
    if not lines:
        raise NotADigestError("not a digest: the text is empty")
    unwrap_width = _unwrap_width(lines)
    chunks = _chunks(lines)
    title = chunks[0].first
    if len(title) > _MAX_TITLE_CHARS:
        raise NotADigestError("not a digest: the first line is a long paragraph, not a title")
    rest = chunks[0].lines[1:]
    body = ([_Chunk(rest, chunks[0].blanks_after)] if rest else []) + chunks[1:]
    if not body:
        raise NotADigestError("not a digest: the text is a single paragraph")
    stories_end, discussion = _sections(body)
    stories = _stories(title, body[:stories_end], unwrap_width)
    comments = _comments(discussion, unwrap_width)
    return Briefing(
        key=key,
        title=title,
        stories=tuple(stories),
        comments=tuple(comments),
        url=safe_link(url),
        comment_count=len(comments),
    )


def _normalized_lines(text: str) -> list[str]:
    """Lines without BOM, tabs, trailing spaces or common indentation; rejects non-text."""
    text = text.replace("\ufeff", "")
    if not text.strip():
        return []
    _reject_non_text(text)
    lines = [line.expandtabs(_TAB_WIDTH).rstrip() for line in text.splitlines()]
    _drop_trailing_blanks(lines)
    last = lines[-1]
    for form in _TRAILING_FORM:
        if last.lower().endswith(form):
            lines[-1] = last[: -len(form)].rstrip()
            _drop_trailing_blanks(lines)
            break
    if not lines:
        return []
    common = min(len(line) - len(line.lstrip()) for line in lines if line)
    return [line[common:] for line in lines]


def _drop_trailing_blanks(lines: list[str]) -> None:
    while lines and not lines[-1]:
        lines.pop()


def _reject_non_text(text: str) -> None:
    sample = text[:_BINARY_SAMPLE_CHARS]
    controls = sum(
        1 for char in sample if char == "\ufffd" or (char < " " and char not in _ALLOWED_CONTROLS)
    )
    if "\x00" in sample or controls > len(sample) * _MAX_CONTROL_RATIO:
        raise NotADigestError("not a digest: the text looks like binary data")
    stripped = text.lstrip()
    if stripped.startswith("<"):
        raise NotADigestError("not a digest: the text is an HTML or XML document")
    if stripped[0] in "{[" and (_is_json(stripped) or _is_json(stripped.partition("\n")[0])):
        raise NotADigestError("not a digest: the text is a JSON document")
    filled = [line.strip() for line in text.splitlines() if line.strip()]
    tags = sum(1 for line in filled if line.startswith("<") and line.endswith(">"))
    if tags >= 2 and tags * 2 >= len(filled):
        raise NotADigestError("not a digest: the text is mostly markup tags")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _unwrap_width(lines: list[str]) -> int | None:
    """The wrap width of a hard-wrapped document, ``None`` if it is not wrapped."""
    widest = max(len(line) for line in lines)
    return widest if widest <= _MAX_WRAP_WIDTH else None


def _chunks(lines: list[str]) -> list[_Chunk]:
    """Group lines into chunks at blank lines, dropping boilerplate lines."""
    chunks: list[_Chunk] = []
    current: list[tuple[int, str]] = []
    blanks = 0
    title_seen = False

    def close() -> None:
        if current:
            boundary = len(current) == 1 and _BOUNDARY.fullmatch(current[0][1]) is not None
            chunks.append(_Chunk(tuple(current), blanks, boundary))
            current.clear()

    for line in lines:
        stripped = line.lstrip()
        if not stripped:
            blanks += 1
            continue
        if blanks and current:
            close()
        blanks = 0
        if title_seen and _is_boilerplate(stripped):
            continue
        title_seen = True
        current.append((len(line) - len(stripped), stripped))
    close()
    return chunks


def _is_boilerplate(line: str) -> bool:
    if _BOILERPLATE_LINE.fullmatch(line):
        return True
    if len(line) > _MAX_BOILERPLATE_CHARS or not _BOILERPLATE_PREFIX.match(line):
        return False
    lowered = line.lower()
    is_notice = lowered.startswith(("©", "(c)", "copyright", "all rights"))
    return is_notice or line[-1] not in ".!?"


def _sections(chunks: list[_Chunk]) -> tuple[int, list[_Chunk]]:
    """Where the stories end, and the discussion's chunks.

    The discussion starts at the first numbered comment (or "Name says:" line) after a
    boundary such as "Related Posts", or, without a boundary, at an indented numbered item
    after which every chunk is indented or an item. What lies between the stories' end and
    the discussion (a related-posts list) is boilerplate.
    """
    boundary = next((i for i, c in enumerate(chunks) if c.boundary), len(chunks))
    shaped_from = len(chunks)
    while shaped_from > 0:
        chunk = chunks[shaped_from - 1]
        if not (chunk.boundary or chunk.indent > 0 or _item_marker(chunk.first)[0]):
            break
        shaped_from -= 1
    unmarked = next(
        (
            i
            for i in range(shaped_from, boundary)
            if chunks[i].indent > 0 and _NUMBERED.match(chunks[i].first)
        ),
        None,
    )
    if unmarked is not None:
        start = unmarked
        stories_end = unmarked
    else:
        stories_end = boundary
        start = next(
            (
                i
                for i in range(boundary + 1, len(chunks))
                if _NUMBERED.match(chunks[i].first) or _says_author(chunks[i].first)
            ),
            len(chunks),
        )
    end = next((i for i in range(start, len(chunks)) if chunks[i].boundary), len(chunks))
    return stories_end, chunks[start:end]


def _stories(title: str, chunks: list[_Chunk], unwrap_width: int | None) -> list[Story]:
    drafts: list[tuple[str, list[Block]]] = []
    headed = False
    previous: str | None = None
    base_indent = min((chunk.indent for chunk in chunks), default=0)
    for chunk in chunks:
        joined = _join(list(chunk.lines), unwrap_width)
        if _is_heading(joined, chunk.blanks_after):
            drafts.append((joined, []))
            headed = True
            previous = None
            continue
        if not drafts:
            drafts.append((title, []))
        block = _story_block(chunk, joined, previous, base_indent, unwrap_width)
        drafts[-1][1].append(block)
        previous = block.text
    if not headed:
        raise NotADigestError("not a digest: no story headings found after the title")
    if not any(blocks for _, blocks in drafts):
        raise NotADigestError("not a digest: the headings have no body text")
    return [Story(heading=heading, blocks=tuple(blocks)) for heading, blocks in drafts]


def _is_heading(line: str, blanks_after: int) -> bool:
    """A short single line that does not end like a sentence and does not read as a quote."""
    if "\n" in line:
        return False
    words = line.split()
    if len(line) > _MAX_HEADING_CHARS or len(words) > _MAX_HEADING_WORDS:
        return False
    if _item_marker(line)[0] or _QUOTE_PREFIX.match(line) or _is_wholly_quoted(line):
        return False
    first_alnum = next((char for char in line if char.isalnum()), "")
    if not (first_alnum.isupper() or first_alnum.isdigit()):
        return False
    core = line.rstrip(_CLOSERS)
    if not core or core[-1] in _NO_HEADING_ENDINGS:
        return False
    if core[-1] in "?!":
        return blanks_after >= 2 or _is_title_case(words)
    return True


def _is_title_case(words: list[str]) -> bool:
    significant = [word for word in words if len(word) >= 4 and word[0].isalpha()]
    capitalized = sum(1 for word in significant if word[0].isupper())
    return bool(significant) and capitalized >= 0.6 * len(significant)


def _is_wholly_quoted(text: str) -> bool:
    """Whether the text is one quotation: opened at its start, closed at its end."""
    if len(text) < 2 or text[0] not in _OPENING_QUOTES:
        return False
    core = text.rstrip(".,;:!?… ")
    if not core or core[-1] not in _CLOSING_QUOTES:
        return False
    return sum(1 for char in core if char in _DOUBLE_QUOTES) == 2


def _story_block(
    chunk: _Chunk, text: str, previous: str | None, base_indent: int, unwrap_width: int | None
) -> Block:
    """One body block.

    It is a quotation when its lines are marked with '>', when it is indented deeper than
    the body, when it is wholly in double quotes, or when it follows a paragraph ending with
    ':' (and is neither a list item nor an introduction itself).
    """
    if all(_QUOTE_PREFIX.match(text) for _, text in chunk.lines):
        unquoted = [(indent, _QUOTE_PREFIX.sub("", text, count=1)) for indent, text in chunk.lines]
        return Block(BlockKind.QUOTE, _join(unquoted, unwrap_width))
    introduced = (
        previous is not None
        and previous.endswith(":")
        and not text.endswith(":")
        and not _item_marker(text)[0]
    )
    quoted = introduced or chunk.indent >= base_indent + 2 or _is_wholly_quoted(text)
    return Block(BlockKind.QUOTE if quoted else BlockKind.PARAGRAPH, text)


def _join(lines: list[tuple[int, str]], unwrap_width: int | None) -> str:
    """Join a chunk's lines: a wrapped line continues with a space, a short one breaks.

    A line was wrapped when the next line's first word would not have fitted after it
    (within a few columns of the document's widest line).
    """
    if not lines:
        return ""
    parts = [lines[0][1]]
    for (indent, text), (_, following) in itertools.pairwise(lines):
        first_word = following.split(maxsplit=1)[0]
        wrapped = (
            unwrap_width is not None
            and indent + len(text) + 1 + len(first_word) > unwrap_width - _WRAP_SLACK
            and not _item_marker(following)[0]
        )
        parts.append(" " if wrapped else "\n")
        parts.append(following)
    return "".join(parts)


def _item_marker(line: str) -> tuple[bool, int | None, int]:
    """Whether a line starts a list item: (is item, its number, length of the marker)."""
    numbered = _NUMBERED.match(line)
    if numbered:
        return True, int(numbered.group(1)), numbered.end()
    bullet = _BULLET.match(line)
    if bullet:
        return True, None, bullet.end()
    return False, None, 0


def _says_author(line: str) -> str | None:
    """The name in a "Name says:" or "Name on <date> said:" line."""
    if line.endswith(" says:"):
        name = line[: -len(" says:")].strip()
    elif line.endswith(" said:") and " on " in line:
        name, _, date = line[: -len(" said:")].partition(" on ")
        if not any(char.isdigit() for char in date):
            return None
        name = name.strip()
    else:
        return None
    words = name.split()
    plain = not any(char in '.,;:!?“”"' for char in name)
    if plain and 0 < len(words) <= _MAX_AUTHOR_WORDS and len(name) <= _MAX_AUTHOR_CHARS:
        return name
    return None


def _comments(chunks: list[_Chunk], unwrap_width: int | None) -> list[Comment]:
    items: list[_Item] = []
    # The open items by indentation: indents strictly increase from bottom to top.
    stack_indents: list[int] = []
    stack_items: list[int] = []
    last_top: int | None = None
    for chunk in chunks:
        is_item, number, marker_len = _item_marker(chunk.first)
        author = _says_author(chunk.first)
        if not (is_item or author):
            _continue_item(items, stack_indents, stack_items, chunk, unwrap_width)
            continue
        lines = list(chunk.lines)
        lines[0] = (chunk.indent + marker_len, chunk.first[marker_len:])
        if is_item and (named := _says_author(lines[0][1])):
            author = named
        if author:
            lines = lines[1:]
        while stack_indents and stack_indents[-1] >= chunk.indent:
            stack_indents.pop()
            stack_items.pop()
        parent = stack_items[-1] if stack_items else None
        if parent is None and is_item and number is None:
            # A bullet marks a reply even at the numbered comments' indentation.
            parent = last_top
        item = _Item(number, author, parent)
        if lines:
            item.paragraphs.append(_join(lines, unwrap_width))
        if parent is None:
            last_top = len(items)
        items.append(item)
        stack_indents.append(chunk.indent)
        stack_items.append(len(items) - 1)
    return _keyed_comments(items)


def _continue_item(
    items: list[_Item],
    stack_indents: list[int],
    stack_items: list[int],
    chunk: _Chunk,
    unwrap_width: int | None,
) -> None:
    """Add a paragraph to the item it continues: an item still without text, else the
    nearest open item indented less, else the latest item."""
    if not items:
        return
    owner = len(items) - 1
    if items[owner].paragraphs:
        position = bisect.bisect_left(stack_indents, chunk.indent)
        if position > 0:
            owner = stack_items[position - 1]
    items[owner].paragraphs.append(_join(list(chunk.lines), unwrap_width))


def _keyed_comments(items: list[_Item]) -> list[Comment]:
    """Comments keyed "1", "2" at top level and "1.1", "1.2" for replies; items without
    text are left out and their replies go to the nearest kept ancestor."""
    keys: dict[int, str] = {}
    # Per item: itself when it has text, else the nearest ancestor that has.
    anchors: list[int | None] = []
    children: dict[int, int] = {}
    used_top: set[str] = set()
    next_top = 1
    comments: list[Comment] = []
    for index, item in enumerate(items):
        parent = anchors[item.parent] if item.parent is not None else None
        anchors.append(index if item.paragraphs else parent)
        if not item.paragraphs:
            continue
        if parent is None:
            key = str(item.number) if item.number is not None else ""
            if not key or key in used_top:
                while str(next_top) in used_top:
                    next_top += 1
                key = str(next_top)
            used_top.add(key)
            next_top = max(next_top, int(key) + 1)
            parent_key = None
        else:
            children[parent] = children.get(parent, 0) + 1
            parent_key = keys[parent]
            key = f"{parent_key}.{children[parent]}"
        keys[index] = key
        comments.append(
            Comment(
                key=key,
                text="\n\n".join(item.paragraphs),
                parent_key=parent_key,
                author=item.author,
            )
        )
    return comments
