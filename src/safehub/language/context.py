"""What the words around a match say: sentence windows, ages, and whether a person is an adult.

These are the built-in tests behind the rules' context conditions. They are deliberately plain
(no statistical parser): a window of tokens inside the same sentence, and ages read from the
forms case notes use ("aged 24", "(24)", "a 30-year-old", "who is 19", "in his thirties").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Doc

ADULT_AGE = 18
# Words that, near a "boyfriend" or "relationship", mark the other person as an adult. "male(s)"
# is left out on purpose: police notes also say "a male from her school" of a peer.
# An adult of concern is also named by what is known of them ("the suspect", "the nominal", "a taxi
# driver", "twice her age"): calling that person her boyfriend hides the abuse just the same.
ADULT_WORDS = frozenset(
    {
        "older",
        "adult",
        "adults",
        "man",
        "men",
        "woman",
        "women",
        "grown",
        "offender",
        "offenders",
        "suspect",
        "perpetrator",
        "abuser",
        "defendant",
        "accused",
        "nominal",
        "groomer",
        "exploiter",
        "driver",
        "twice",
        "arrested",
        "charged",
        "convicted",
    }
)
# Words for the people whose own age or own relationship a note may mention beside the child's
# ("her older sister, who is 19, has a boyfriend"): an age or "older" that belongs to them says
# nothing about the child's boyfriend.
_RELATIVES = (
    "mother mum mam mom father dad parent parents carer carers stepfather stepdad stepmother "
    "stepmum nan gran grandmother grandad grandfather aunt auntie uncle sister sisters brother "
    "brothers cousin cousins sibling siblings"
)
RELATIVE_WORDS = frozenset(_RELATIVES.split())
_SENTENCE_END = frozenset({".", "!", "?", ";"})
_FULL_STOP = frozenset({".", "!", "?"})
# Words between a person and their age: "Mum, who is 34", "her boyfriend (aged 15", "is also 14".
_AGE_LEAD = frozenset(
    {",", "(", "who", "is", "was", "'s", "’s", "aged", "age", "also", "now", "only", "just", "too"}
)
# Words after an age that still belong to it: "19-year-old", "19 years old".
_AGE_PHRASE = frozenset({"-", "year", "years", "yr", "yrs", "old", ")", ","})
_AGE_UNIT = frozenset({"year", "years", "yr", "yrs", "yo", "y"})
_AGE_CUE_BEFORE = frozenset(
    {"aged", "age", "is", "was", "'s", "’s", "be", "being", "turned", "turns", "turn"}
)
# "she is only 13", "she was just 14", "he is also 14"
_AGE_HEDGE = frozenset({"only", "just", "barely", "now", "still", "also"})
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_NUMBER_WORDS = {w: i for i, w in enumerate(_UNITS.split())}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_DECADES = {
    "teens": 13,
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
}
_DECADE_DIGITS = re.compile(r"^(?:mid-|early-|late-)?([2-7]0)'?s$")
_AGE_SUFFIX = re.compile(r"^(\d{1,2})(?:yo|yrs?|y/o)$")


@dataclass
class DocContext:
    """Per-document facts computed once and shared by every rule that matched in it."""

    doc: Doc

    @cached_property
    def sentence_of(self) -> list[tuple[int, int]]:
        """For each token, the (start, end) token bounds of its sentence."""
        bounds: list[tuple[int, int]] = []
        start = 0
        for i, token in enumerate(self.doc):
            if token.text in _SENTENCE_END or i == len(self.doc) - 1:
                bounds.extend([(start, i + 1)] * (i + 1 - start))
                start = i + 1
        return bounds

    def window_before(self, start: int, window: int) -> tuple[int, int]:
        """Token range of up to `window` tokens before `start`, inside the sentence."""
        sent_start = self.sentence_of[start][0] if len(self.doc) else 0
        return max(start - window, sent_start), start

    def window_after(self, end: int, window: int) -> tuple[int, int]:
        """Token range of up to `window` tokens from `end`, inside the sentence."""
        sent_end = self.sentence_of[end - 1][1] if end else 0
        return end, min(end + window, sent_end)

    @cached_property
    def ages(self) -> list[tuple[int, int]]:
        """(token index, age in years) for every age stated in the document."""
        found = []
        for i in range(len(self.doc)):
            age = _age_at(self.doc, i)
            if age is not None:
                found.append((i, age))
        return found

    def refers_to_adult(self, start: int, end: int, window: int, direction: str = "both") -> bool:
        """True if the words near tokens [start, end) describe an adult.

        The nearest explicit age decides ("her boyfriend, aged 14," is a peer); failing one, a
        word such as "older", "adult" or "man" in the window does. Ages and words that belong to
        a relative ("her older sister, who is 19,") are not about the person matched.
        """
        lo = self.window_before(start, window)[0] if direction != "after" else start
        hi = self.window_after(end, window)[1] if direction != "before" else end
        ages = [
            (_distance(i, start, end), age)
            for i, age in self.ages
            if lo <= i < hi and not _owned_by_relative(self.doc, i)
        ]
        if ages:
            return min(ages)[1] >= ADULT_AGE
        return any(
            self.doc[i].lower_ in ADULT_WORDS and not _owned_by_relative(self.doc, i)
            for i in range(lo, hi)
            if not start <= i < end
        )

    @cached_property
    def full_sentence_of(self) -> list[tuple[int, int]]:
        """Like `sentence_of`, but a semicolon does not end the sentence."""
        bounds: list[tuple[int, int]] = []
        start = 0
        for i, token in enumerate(self.doc):
            if token.text in _FULL_STOP or i == len(self.doc) - 1:
                bounds.extend([(start, i + 1)] * (i + 1 - start))
                start = i + 1
        return bounds

    def child_age_stated(self, start: int, end: int) -> bool:
        """True if the sentence gives one child's age (under 18) and it is not the age of the
        person matched: "He was her boyfriend, she is 14." Two ages under 18 ("she is 14 and her
        boyfriend is 15"), or an age under 18 next to the match ("her boyfriend (15)"), describe
        children of an age; then this is False.
        """
        lo, hi = self.full_sentence_of[start]
        young = [
            i
            for i, age in self.ages
            if lo <= i < hi and age < ADULT_AGE and not _owned_by_relative(self.doc, i)
        ]
        if len(young) != 1:
            return False
        return not _attached_to(self.doc, young[0], start, end)


def _owned_by_relative(doc: Doc, i: int) -> bool:
    """True if the age or adjective at token i describes a relative: "older sister", "her
    sister, who is 19", "Mum (34)", "a 19-year-old brother"."""
    j = i + 1
    while j < len(doc) and doc[j].lower_ in _AGE_PHRASE:
        j += 1
    if j < len(doc) and doc[j].lower_ in RELATIVE_WORDS:
        return True
    k = i - 1
    while k >= 0 and doc[k].lower_ in _AGE_LEAD:
        k -= 1
    return k >= 0 and k < i - 1 and doc[k].lower_ in RELATIVE_WORDS


def _attached_to(doc: Doc, i: int, start: int, end: int) -> bool:
    """True if the age at token i is given for the words [start, end) themselves: "her
    boyfriend (15)", "her boyfriend, aged 15,", "her boyfriend is 15", "her 15-year-old
    boyfriend"."""
    if i >= end:
        return all(doc[k].lower_ in _AGE_LEAD for k in range(end, i))
    last = i + 1
    while last < start and doc[last].lower_ in _AGE_PHRASE:
        last += 1
    return last == start


def _distance(i: int, start: int, end: int) -> int:
    return start - i if i < start else i - end + 1


def _age_at(doc: Doc, i: int) -> int | None:
    """The age stated at token i, if that token is a number used as an age."""
    text = doc[i].lower_
    suffixed = _AGE_SUFFIX.match(text)
    if suffixed:
        return int(suffixed.group(1))
    decade = _DECADES.get(text)
    if decade is None and (m := _DECADE_DIGITS.match(text)):
        decade = int(m.group(1))
    if decade is not None:
        return decade
    value, last = _number_at(doc, i)
    if value is None or not 0 < value < 100:
        return None
    return value if _looks_like_age(doc, i, last) else None


def _number_at(doc: Doc, i: int) -> tuple[int | None, int]:
    """The number starting at token i ("24", "twenty-five", "twenty five") and its last token."""
    text = doc[i].lower_
    if text.isdigit():
        # Part of a written number such as "twenty-five" is read from its first word only.
        return int(text), i
    if text in _NUMBER_WORDS:
        if i > 0 and doc[i - 1].lower_ in ("-", *_TENS) and _is_tens(doc, i):
            return None, i
        return _NUMBER_WORDS[text], i
    if text in _TENS:
        j = i + 1
        if j < len(doc) and doc[j].text == "-":
            j += 1
        if j < len(doc) and doc[j].lower_ in _NUMBER_WORDS:
            return _TENS[text] + _NUMBER_WORDS[doc[j].lower_], j
        return _TENS[text], i
    return None, i


def _is_tens(doc: Doc, i: int) -> bool:
    j = i - 1
    if doc[j].text == "-" and j > 0:
        j -= 1
    return doc[j].lower_ in _TENS


def _looks_like_age(doc: Doc, first: int, last: int) -> bool:
    """A number is an age when a unit follows ("24 years", "24-year-old") or a cue precedes it."""
    nxt = last + 1
    if nxt < len(doc) and doc[nxt].text == "-":
        nxt += 1
    if nxt < len(doc) and doc[nxt].lower_ in _AGE_UNIT:
        return True
    prev = doc[first - 1].lower_ if first > 0 else ""
    if prev in _AGE_HEDGE and first > 1:
        prev = doc[first - 2].lower_
    if prev in _AGE_CUE_BEFORE:
        return True
    if prev == "of" and first > 1 and doc[first - 2].lower_ == "age":
        return True  # "from the age of 13"
    if prev == "at" and (first == 1 or doc[first - 2].text in _FULL_STOP) and _comma(doc, nxt):
        return True  # "At 13, she ..."
    if prev == "," and first > 1 and doc[first - 2].text[:1].isupper() and _comma(doc, nxt):
        return True  # "Amelia, 14, says ..."
    # "her boyfriend (32)"
    return prev == "(" and last + 1 < len(doc) and doc[last + 1].text == ")"


def _comma(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].text == ","
