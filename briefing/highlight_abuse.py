"""Is a comment abusive: a slur, an insult aimed at someone, or a call to violence?

Swearing alone is not abuse here ("holy shit, nice detective work"), and neither is news
vocabulary (rape, killing, swastika) that a profanity list flags but a discussion of the
news needs. The offensive vocabulary is glin-profanity's maintained English dictionary;
this module decides when its use is abusive:

* a slur from that dictionary, in any use;
* an offensive or insulting word aimed at a person: after "you", "you're", "your" or a
  copula ("is", "are", "be"...), with only articles and intensifiers between
  ("you're a fucking idiot", "Artie is an ass"), or a fixed put-down ("fuck you");
* a call to violence: a short list of phrasings ("should be shot", "kill them all",
  "the sooner he is crucified the better", "death to").

Word lists cannot read intent: sarcasm, quotation and reclaimed words fool them. The
rules keep to what is abusive in nearly every use, so a false alarm costs little.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Slurs from the dictionary: abusive whatever the sentence around them.
_SLURS = frozenset(
    {
        "beaner",
        "bulldyke",
        "carpet muncher",
        "darkie",
        "faggot",
        "fudge packer",
        "jigaboo",
        "jiggaboo",
        "kike",
        "nig nog",
        "nigga",
        "nigger",
        "paki",
        "raghead",
        "retard",
        "retarded",
        "slanteye",
        "spic",
        "towelhead",
        "tranny",
        "wetback",
    }
)
# Words that call a person something, from the dictionary (checked by the tests) and the
# plain insults it leaves out because they are not swear words.
_PERSON_INSULTS = frozenset(
    {
        "arsehole",
        "ass",
        "asshat",
        "asshole",
        "bastard",
        "bitch",
        "cunt",
        "dick",
        "dipshit",
        "dumbass",
        "fucker",
        "fuckface",
        "jackass",
        "motherfucker",
        "shithead",
        "slut",
        "tosser",
        "twat",
        "cretin",
        "dimwit",
        "idiot",
        "imbecile",
        "loser",
        "moron",
        "scum",
        "scumbag",
        "subhuman",
        "vermin",
    }
)
# Said to someone ("you stupid ..."), these insult too; said of an idea they criticise.
_INSULTING_ADJECTIVES = frozenset({"stupid", "pathetic", "dumb", "worthless", "disgusting"})
# Words that may stand between the target and the insult without changing who is meant.
_FILLERS = frozenset(
    {
        "a",
        "an",
        "the",
        "such",
        "so",
        "just",
        "really",
        "total",
        "complete",
        "absolute",
        "utter",
        "real",
        "little",
        "big",
        "fat",
        "ugly",
        "dumb",
        "all",
        "both",
        "fucking",
        "fuckin",
        "freaking",
        "damn",
        "goddamn",
        "bloody",
    }
)
# Intensifiers are offensive words too, but never the insult itself: "you're a fucking
# wizard" praises.
_INTENSIFIERS = frozenset({"fucking", "fuckin", "freaking", "damn", "goddamn", "bloody"})
_SECOND_PERSON = frozenset({"you", "you're", "youre", "ya", "u", "ur", "y'all", "yall"})
# What introduces a description of someone: "he is a ...", "what a ...", "bunch of ...".
_DESCRIBERS = frozenset(
    {"is", "are", "was", "were", "be", "he's", "she's", "they're", "what", "of", "like"}
)
# A token: anything but spaces and punctuation, keeping inner symbols of disguised words
# ("f*ck", "sh!t", "a$$") and inner apostrophes and hyphens ("you're", "grown-ass").
_TOKEN_RE = re.compile(
    r"[^\s\"“”\u2018(),.;:?!'*\-]+(?:['*\-.!]+[^\s\"“”\u2018(),.;:?!'*\-]+)*\*?"
)
# Word beginnings without which neither a put-down nor a call to violence can be phrased.
_VIOLENCE_HINTS = (
    "f*ck",
    "fuck",
    "screw",
    "piss",
    "hell",
    "stfu",
    "shut",
    "kys",
    "kill",
    "shoot",
    "shot",
    "hang",
    "hung",
    "lynch",
    "execut",
    "behead",
    "gas",
    "nuke",
    "extermin",
    "slaughter",
    "murder",
    "crucif",
    "burn",
    "rape",
    "tortur",
    "death",
    "die",
)
# Their first four letters, which a set lookup can test (plus the forms that differ there).
_VIOLENCE_HEADS = frozenset(hint[:4] for hint in _VIOLENCE_HINTS) | {"gass", "dies"}
_PUT_DOWN_RE = re.compile(
    r"\b(?:fuck|f\*ck|screw|piss)\s+(?:you|off|u)\b|\bgo\s+to\s+hell\b|\bstfu\b"
    r"|\bshut\s+the\s+fuck\s+up\b|\bkys\b|\bkill\s+yourself\b",
    re.IGNORECASE,
)
_VIOLENT_VERB = (
    r"(?:shot|hanged|hung|lynched|executed|killed|murdered|beheaded|gassed|crucified"
    r"|burned|burnt|nuked|exterminated|slaughtered|raped|tortured)"
)
_KILL_VERB = r"(?:kill|shoot|hang|lynch|behead|gas|nuke|exterminate|slaughter|murder)"
_VIOLENCE_RE = re.compile(
    "|".join(
        (
            # Wishes and demands: "should be shot", "deserves to be hanged".
            rf"\b(?:should|must|ought\s+to|deserves?\s+to|needs?\s+to|has\s+to|have\s+to)"
            rf"\s+(?:all\s+)?(?:be|get)\s+(?:\w+\s+)?{_VIOLENT_VERB}\b",
            # "The sooner he is crucified (by them) the better."
            rf"\bthe\s+sooner\s+(?:\w+\s+){{1,3}}{_VIOLENT_VERB}\b",
            # "I hope he dies", "hope someone shoots him".
            r"\b(?:hope|wish|pray)s?\s+(?:that\s+)?(?:\w+\s+){1,2}"
            r"(?:dies|die|gets?\s+(?:shot|killed|hanged|lynched|raped)|shoots|kills)\b",
            # Imperatives at the start of a sentence or after "let's"/"we should".
            rf"(?:^|[.!?]\s+|\blet'?s\s+|\bwe\s+(?:should|must|need\s+to)\s+){_KILL_VERB}"
            r"\s+(?:them|him|her|all|every|each|those|these|the)\b",
            rf"\b{_KILL_VERB}\s+(?:them|'?em)\s+all\b",
            r"\bdeath\s+to\s+(?:all\s+|the\s+)?\w+",
        )
    ),
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _offensive_terms() -> frozenset[str]:
    """glin-profanity's English dictionary, lower case (imported late: it is slow to load)."""
    from glin_profanity.data.dictionary import (  # type: ignore[import-untyped]
        DictionaryLoader,
    )

    return frozenset(term.lower() for term in DictionaryLoader().get_words("english"))


@lru_cache(maxsize=1)
def _slurs() -> tuple[frozenset[str], re.Pattern[str]]:
    """The slurs the dictionary lists: single words, and a pattern for the phrases."""
    listed = _SLURS & _offensive_terms()
    phrases = sorted(term for term in listed if " " in term)
    pattern = r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")s?\b"
    return frozenset(t for t in listed if " " not in t), re.compile(pattern, re.IGNORECASE)


def offensive_dictionary() -> frozenset[str]:
    """The offensive vocabulary in use: the maintained dictionary, lower case."""
    return _offensive_terms()


def _tokens(lowered: str) -> list[str]:
    return _TOKEN_RE.findall(lowered.replace("\u2019", "'"))


def _known(term: str, vocabulary: frozenset[str]) -> bool:
    """Is ``term``, or its singular, in ``vocabulary``?"""
    return term in vocabulary or (term.endswith("s") and term[:-1] in vocabulary)


def _insults(word: str, *, to_their_face: bool) -> bool:
    """Does ``word`` insult the person it is said to (or, if not, said of)?"""
    if word in _INTENSIFIERS:
        return False
    if _known(word, _PERSON_INSULTS):
        return True
    return to_their_face and (word in _INSULTING_ADJECTIVES or _known(word, _offensive_terms()))


def _aims_insult(tokens: list[str]) -> bool:
    """Is an insult aimed at someone: "you (are a) <offensive word>", "is a <insult>"?"""
    for i, token in enumerate(tokens):
        to_their_face = token in _SECOND_PERSON
        if not to_their_face and token not in _DESCRIBERS:
            continue
        for follower in tokens[i + 1 : i + 6]:
            if _insults(follower, to_their_face=to_their_face):
                return True
            if follower not in _FILLERS and follower not in _DESCRIBERS:
                break
    return False


def _with_plurals(terms: frozenset[str]) -> frozenset[str]:
    return terms | {f"{term}s" for term in terms}


@lru_cache(maxsize=1)
def _flaggable() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """For a quick first look: every word (and plural) that can make a comment abusive,
    the single-word slurs with their plurals, and the first words of slur phrases."""
    words = _with_plurals(_offensive_terms() | _PERSON_INSULTS | _INSULTING_ADJECTIVES)
    slur_words, _ = _slurs()
    starts = frozenset(term.split()[0] for term in _SLURS & _offensive_terms() if " " in term)
    return words, _with_plurals(slur_words), starts


def is_abusive(text: str) -> bool:
    """Does ``text`` use a slur, insult someone, or call for violence?"""
    lowered = text.lower()
    tokens = _tokens(lowered)
    present = set(tokens)
    flaggable, slur_words, slur_phrase_starts = _flaggable()
    if not flaggable.isdisjoint(present) and (
        not slur_words.isdisjoint(present) or _aims_insult(tokens)
    ):
        return True
    if not slur_phrase_starts.isdisjoint(present) and _slurs()[1].search(lowered):
        return True
    # The full patterns are slow; most comments name no violence at all.
    if _VIOLENCE_HEADS.isdisjoint({token[:4] for token in present}):
        return False
    return _PUT_DOWN_RE.search(text) is not None or _VIOLENCE_RE.search(text) is not None
