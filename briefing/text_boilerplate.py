"""News-page furniture that is never part of a story: bylines, datelines, timestamps,
photo credits, calls to action ("Scroll down for video", "Click here", "Follow @...").

``strip_header`` removes it from the start of a paragraph, where bylines, timestamps and
datelines sit; ``is_boilerplate`` tells a whole sentence of it anywhere else.
"""

from __future__ import annotations

import re

_NAME_WORD = r"(?:[A-Z][\w'\u2019.-]*|de|da|di|van|von|der|le|la|bin|al)"
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,5}}"
_BYLINE = (
    rf"By ?\.? {_NAME}(?:(?: ?[.,] ?| )(?:and|&|for|in) {_NAME}|, {_NAME})*"
    r"(?= ?\.(?: |$)| ?\||$| (?:PUBLISHED|UPDATED|Published|Updated|Last updated)\b)"
)
_STAMP_WORD = r"(?:PUBLISHED|UPDATED|Published|Updated|Last updated|Last modified|Posted)"
_TIMESTAMP = (
    rf"{_STAMP_WORD}(?: at| on)?:? ?"
    r"(?:[^|\n]{0,60}?\b(?:19|20)\d\d\b|[^|.\n]{0,30}?\b\d{1,2}[:.]\d\d(?: ?[AaPp]\.?[Mm]\.?)?"
    r"(?: [A-Z]{2,4}\b)?)"
)
_AGENCY = r"(?:CNN|CNNMoney|CNN Money|AP|Reuters|AFP|UPI|Bloomberg|PA|dpa|Xinhua|EW\.com)"
_PLACE = r"[A-Z][\w.'\u2019-]*(?:,? [A-Z0-9][\w.'\u2019-]*){0,5}"
_DATELINE = (
    rf"(?:{_PLACE} ?)?\({_AGENCY}\) ?(?:--|\u2014|\u2013|-|:)?"
    r"|[A-Z][A-Z.'\u2019-]{2,}(?:,? [A-Z][\w.'\u2019-]*){0,4} ?(?:--|\u2014|\u2013)(?= )"
)
_HEADER = re.compile(rf"(?:{_BYLINE}|{_TIMESTAMP}|{_DATELINE})[ .|]*")

_CALL_TO_ACTION = re.compile(
    r"(?:scroll (?:down|up|for)|click (?:here|to|through)|follow @|follow (?:us|him|her|them|me)"
    r" on|read more\b|read the full|watch (?:the )?video|watch:|video:|see the video|"
    r"sign up\b|subscribe\b|share this|share on|share or comment|like us on|"
    r"join the conversation|"
    r"sorry,? we are not currently accepting comments|comments? (?:are|is) closed|"
    r"advertisement\b|related:|see also:|download the|get the latest)",
    re.IGNORECASE,
)
_FOLLOW_HANDLE = re.compile(r"\bfollow\b.*@\w+|@\w+ on (?:twitter|instagram)", re.IGNORECASE)
_CONTRIBUTED = re.compile(
    r"contributed (?:to )?(?:this |the )?(?:report|story|article)|contributed reporting",
    re.IGNORECASE,
)
# Credit lines are short labels: "Photo: Getty Images", "Picture by Jo Lee/AP", "Reuters".
_CREDIT_LABEL = re.compile(
    r"\(?(?:photo|photograph|picture|image|video|graphic|credit|source|copyright)s?"
    r"(?: credit| courtesy)? ?:|\(?\u00a9",
    re.IGNORECASE,
)
_CREDIT_BY = re.compile(
    r"\(?(?:Photo|Photograph|Picture|Image)s? (?:by|courtesy of|copyright) [A-Z]"
)
_AGENCY_ONLY = re.compile(
    r"\(?(?:[A-Z][\w.-]*[ /]*){0,3}(?:Getty Images|Getty|Shutterstock|Rex Features|PA Wire"
    r"|AP Photo|Reuters|AFP|EPA|Alamy)\)?\.?\)?$"
)
_CREDIT_WORDS = 12
_CREDIT_BY_WORDS = 6
_VIDEO_LINK = re.compile(r"^VIDEO\b")


def strip_header(paragraph: str) -> str:
    """``paragraph`` without the bylines, timestamps and datelines it starts with."""
    text = paragraph.lstrip()
    while match := _HEADER.match(text):
        if not match.group():
            break
        text = text[match.end() :].lstrip()
    return text


def is_boilerplate(sentence: str) -> bool:
    """Whether ``sentence`` is page furniture, not story text."""
    text = sentence.strip()
    if not strip_header(text).strip(" .|"):
        return True
    return bool(
        _CALL_TO_ACTION.match(text)
        or _is_credit(text)
        or _VIDEO_LINK.match(text)
        or ("@" in text and _FOLLOW_HANDLE.search(text))
        or ("ontribut" in text and _CONTRIBUTED.search(text))
    )


def _is_credit(text: str) -> bool:
    words = len(text.split())
    return bool(
        (words <= _CREDIT_WORDS and _CREDIT_LABEL.match(text))
        or (words <= _CREDIT_BY_WORDS and _CREDIT_BY.match(text))
        or _AGENCY_ONLY.match(text)
    )
