"""A generated RSS 2.0 feed of article-sized entries, for the speed and memory benchmarks.

Each entry is about 5 KB of HTML: a lead of three paragraphs and three ``<h2>`` sections of
three paragraphs (two to four sentences each), with links and emphasis inline. Sentences are
drawn from a few hundred words with a seeded random generator (one seed per entry, so a
feed of ``n`` entries is the first ``n`` entries of any longer one): their lengths vary,
some quote a speaker, some hold figures, a few are questions. So sentences rarely repeat
and the summarizer's redundancy check compares vectors that actually differ.

Calibrated on real text so that summarizing is neither easier nor harder than news: one
sentence in eleven holds a full stop that only pysbd can judge ("Mr.", "U.S."), between
CNN/DailyMail's one in twenty-two and the TPM feed's one in eight; sentences average 105
characters (124 in both); summarizing took 0.59 ms per KB of text, against 0.67 and 0.70.
"""

from __future__ import annotations

import random
from html import escape, unescape

from briefing.models import Comment

ENTRIES = 1000
SECTIONS = 3
PARAGRAPHS_PER_SECTION = 3
FEED_URL = "https://example.org/feed"

NOUNS = """
    council harbour ferry budget school bridge storm season report minister plan station
    museum festival river market election hospital library airport railway tunnel factory
    union strike court judge jury police officer witness inquiry audit contract tender
    company investor shareholder bank lender mortgage tenant landlord rent housing estate
    farmer harvest drought flood reservoir pipeline grid turbine battery charger vehicle
    driver cyclist pedestrian junction motorway parking fare ticket passenger crew pilot
    runway terminal cargo container port dock warehouse shop retailer customer price
    inflation wage salary pension benefit tax levy grant charity volunteer trustee donor
    teacher pupil exam curriculum university student lecturer research laboratory patient
    nurse doctor clinic ward surgery vaccine outbreak trial drug regulator watchdog agency
    department ministry parliament senator mayor councillor candidate campaign poll voter
    ballot referendum coalition opposition spokesman spokeswoman lawyer prosecutor defendant
    verdict sentence appeal ruling lawsuit settlement fine penalty licence permit planning
    developer architect tower apartment neighbourhood village suburb county province border
    coastguard lifeboat fishermen quota trawler catch weather forecast rainfall heatwave
    wildfire evacuation shelter power outage network signal broadband provider software
    startup platform app data breach hacker password server cloud chip supplier shortage
""".split()  # noqa: SIM905
VERBS = """
    approved rejected delayed announced confirmed denied proposed criticised defended
    reviewed launched cancelled postponed expanded reduced raised lowered doubled halved
    warned promised admitted questioned blocked backed funded closed reopened replaced
    repaired inspected investigated examined published released recorded reported estimated
    predicted measured tested challenged overturned upheld signed negotiated extended ended
""".split()  # noqa: SIM905
ADJECTIVES = """
    new old local regional national annual quarterly early late rising falling record
    controversial popular costly cheap modest sharp steady sudden gradual temporary
    permanent public private independent official unofficial preliminary final detailed
    brief lengthy urgent routine unusual major minor coastal rural urban northern southern
    eastern western overnight weekly
""".split()  # noqa: SIM905
PLACES = """
    Northport Eastbrook Millford Ashby Kingsbridge Westhaven Carrow Dunmore Redcliffe
    Harwick Stonegate Bellmouth Oakridge Fairview Lowther Pennington
""".split()  # noqa: SIM905
SURNAMES = """
    Okafor Lindqvist Moreau Tanaka Brennan Castillo Novak Haddad Whitfield Osei Kowalski
    Duarte Fraser Abernathy Ngata Sorensen
""".split()  # noqa: SIM905
QUESTION_VERBS = ("approve", "reject", "delay", "fund", "block", "review", "cancel", "back")
CONNECTIVES = ("after", "because", "although", "while", "before", "since", "as", "until")
PREPOSITIONS = ("in", "near", "outside", "across", "throughout", "beyond")
TITLES = ("Mr.", "Ms.", "Dr.", "Prof.", "Sen.")
FIRST_NAMES = """
    Amara Jonas Priya Tomasz Leila Mateo Ingrid Kwame Sofia Declan Yuki Rosa Farid Elena
""".split()  # noqa: SIM905
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def generated_feed(entries: int = ENTRIES) -> bytes:
    """An RSS 2.0 feed of ``entries`` article-sized entries (about 5 KB of HTML each)."""
    items = "".join(_item(n) for n in range(entries))
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Generated</title><link>https://example.org/</link>{items}"
        "</channel></rss>"
    ).encode()


def _item(n: int) -> str:
    rng = random.Random(n)
    sections = [_paragraphs(rng, n)]
    for _ in range(SECTIONS):
        heading = _upper_first(_clause(rng))
        sections.append(f"<h2>{escape(heading)}</h2>{_paragraphs(rng, n)}")
    title = escape(_upper_first(_clause(rng)))
    day = 1 + n % 28
    return (
        f"<item><title>{title}</title><link>https://example.org/{n}</link>"
        f"<guid>https://example.org/?p={n}</guid>"
        f"<pubDate>Mon, {day:02d} Nov 2017 10:{n % 60:02d}:00 +0000</pubDate>"
        f"<content:encoded><![CDATA[{''.join(sections)}]]></content:encoded></item>"
    )


def _paragraphs(rng: random.Random, n: int) -> str:
    html = []
    for p in range(PARAGRAPHS_PER_SECTION):
        sentences = [_sentence(rng) for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.5:
            words = escape(f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}")
            sentences[-1] += f' <a href="https://example.org/{n}/{p}">Read the {words}</a>.'
        if rng.random() < 0.3:
            first = sentences[0].split(" ", 2)
            if len(first) == 3:
                sentences[0] = f"{first[0]} <em>{first[1]}</em> {first[2]}"
        html.append(f"<p>{' '.join(sentences)}</p>")
    return "".join(html)


def _sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return escape(f"\u201c{_upper_first(_long_clause(rng))},\u201d said {_speaker(rng)}.")
    if roll < 0.25:
        figure = f"{rng.randint(2, 95)}.{rng.randint(1, 9)}"
        who = "the U.S." if rng.random() < 0.5 else f"the {rng.choice(ADJECTIVES)}"
        return escape(
            f"The {rng.choice(NOUNS)} {rng.choice(VERBS)} the {rng.choice(NOUNS)} by"
            f" {figure} per cent last year, {who} {rng.choice(NOUNS)} {rng.choice(VERBS)}"
            f" on {rng.choice(DAYS)}, {_clause(rng)}."
        )
    if roll < 0.28:
        noun, verb, other = rng.choice(NOUNS), rng.choice(QUESTION_VERBS), rng.choice(NOUNS)
        return escape(f"Will the {noun} {verb} the {other}?")
    return escape(_upper_first(_long_clause(rng)) + ".")


def _speaker(rng: random.Random) -> str:
    """One speaker in three with a title ("Mr.", "Dr."), as news copy names them."""
    if rng.random() < 1 / 3:
        return f"{rng.choice(TITLES)} {rng.choice(SURNAMES)}"
    role = f"a {rng.choice(NOUNS)} spokeswoman"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}, {role}"


def _long_clause(rng: random.Random) -> str:
    clause = _clause(rng)
    if rng.random() < 0.8:
        clause += f", {rng.choice(CONNECTIVES)} {_clause(rng)}"
    if rng.random() < 0.3:
        clause += f" and {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return clause


def _clause(rng: random.Random) -> str:
    subject = f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if rng.random() < 0.4:
        subject += f" of {rng.choice(PLACES)}"
    clause = f"{subject} {rng.choice(VERBS)} the {rng.choice(NOUNS)}"
    if rng.random() < 0.5:
        clause += f" {rng.choice(PREPOSITIONS)} {rng.choice(PLACES)}"
    return clause


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def generated_comments(entry: int, count: int) -> tuple[Comment, ...]:
    """``count`` reader comments on generated entry ``entry``, two in five replies.

    They stand for what a poll reads from the entry's comment feed: plain text of one to
    three sentences, keyed ``"<entry>-<n>"``, a reply naming an earlier comment as parent.
    """
    rng = random.Random(f"comments of {entry}")
    comments: list[Comment] = []
    for n in range(count):
        text = " ".join(unescape(_sentence(rng)) for _ in range(rng.randint(1, 3)))
        parent = rng.choice(comments).key if comments and rng.random() < 0.4 else None
        author = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        comments.append(Comment(key=f"{entry}-{n}", text=text, parent_key=parent, author=author))
    return tuple(comments)
