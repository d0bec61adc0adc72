"""The checker: run the rules over text and return flags with their why and suggestion.

>>> flags = check_text("Amy keeps putting herself at risk.")
>>> [(f.text, f.severity, f.rule_id) for f in flags]
[('putting herself at risk', 'error', 'self-risk')]
>>> check_text("The men put her at risk.")
[]
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from spacy.tokens import Doc

from safehub.language.context import DocContext
from safehub.language.phrases import PhraseSet, doc_words
from safehub.language.pipeline import get_nlp
from safehub.language.quotes import inside_quotes, quoted_spans
from safehub.language.rules import Condition, Rule, RuleBook, RuleError, Severity, load_rules

QUOTE_WHY = (
    "This is inside quotation marks, so it may be someone's own words (often the child's). "
    'Say who said it, for example: Amy said, "...", so the record does not adopt the phrase '
    "as the writer's own view. Why the phrase matters: "
)
QUOTE_SUGGESTION = "If these are someone's own words, attribute them. If they are the writer's: "
# Words that *mention* a phrase rather than use it: guidance and corrections ("avoid the phrase
# 'putting herself at risk'", "do not describe her as streetwise") are the language policy at
# work, so a match just after one of these, in the same sentence, is not flagged.
MENTION_CUES = (
    "avoid ~2 phrase|word|words|term|terms|language|label|expression|say|saying|write|writing"
    "|describe|describing|call|calling|use|using",
    "=not|=n't|never ~1 say|write|describe|call|label|use the|this|that? phrase|word|term|label",
    "=not|=n't|never ~1 say|write|describe|call|label",
    "the|this|that|such phrase|term|word|words|label|expression",
)
MENTION_WINDOW = 6


@dataclass(frozen=True)
class Flag:
    """One piece of text to change: `text == source[start:end]` (code-point offsets)."""

    start: int
    end: int
    text: str
    why: str
    suggestion: str
    severity: Severity
    rule_id: str

    def to_dict(self) -> dict[str, object]:
        """The flag as a JSON-ready dict (the `safehub language check` shape)."""
        return asdict(self)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule_index: int


class Checker:
    """Compiled rules, ready to check text. Build once and reuse: compiling takes a moment.

    >>> from safehub.language.rules import load_rules
    >>> checker = Checker(load_rules(extra=[{"id": "party-girl", "patterns": ["party girl"],
    ...     "why": "Labels the child.", "suggestion": "Describe what the adults did."}]))
    >>> [f.rule_id for f in checker.check_text("Staff call her a party girl.")]
    ['party-girl']
    """

    def __init__(self, rulebook: RuleBook | None = None) -> None:
        self.rulebook = rulebook if rulebook is not None else load_rules()
        self._nlp = get_nlp()
        self._rules = self.rulebook.rules
        self._matchers = [self._phrases(rule.patterns, rule) for rule in self._rules]
        self._by_anchor, self._always = _anchor_index(self._matchers)
        self._mentions = PhraseSet(
            self._nlp.vocab, MENTION_CUES, self.rulebook.word_sets, self._lemmas
        )
        self._conditions = [
            [self._phrases(c.phrases, rule) if c.phrases else None for c in rule.conditions]
            for rule in self._rules
        ]

    def check_text(self, text: str) -> list[Flag]:
        """Flags for one text, in order of position."""
        return self._flags(self._nlp(text))

    def check_many(self, texts: Iterable[str], *, batch_size: int = 256) -> list[list[Flag]]:
        """Flags for each text, in input order (batched through spaCy's `nlp.pipe`)."""
        return list(self.iter_many(texts, batch_size=batch_size))

    def iter_many(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[list[Flag]]:
        """Like `check_many`, yielding as it goes (for streams)."""
        for doc in self._nlp.pipe(texts, batch_size=batch_size):
            yield self._flags(doc)

    def _phrases(self, patterns: Iterable[str], rule: Rule) -> PhraseSet:
        try:
            return PhraseSet(self._nlp.vocab, patterns, self.rulebook.word_sets, self._lemmas)
        except RuleError as exc:
            raise RuleError(f"rule {rule.id!r}: {exc}") from exc

    def _lemmas(self, word: str) -> list[str]:
        return [t.lemma_ for t in self._nlp(word)]

    def _flags(self, doc: Doc) -> list[Flag]:
        words = doc_words(doc)
        ctx: DocContext | None = None
        kept: list[_Candidate] = []
        for index in self._rules_that_may_match(words):
            for start, end in sorted(set(self._matchers[index].find(doc, words))):
                ctx = ctx or DocContext(doc)
                cand = _Candidate(start, end, index)
                if self._passes(cand, ctx, words):
                    kept.append(cand)
        if not kept:
            return []
        kept = self._used_not_mentioned(kept, ctx, words)
        if not kept:
            return []
        quotes = quoted_spans(doc.text)
        return [self._flag(doc, c, quotes) for c in _non_overlapping(doc, kept)]

    def _rules_that_may_match(self, words: frozenset[int]) -> list[int]:
        """Indices, in rule order, of the rules with an anchor word in the document (or none):
        one look-up per word instead of a set test per rule."""
        found = set(self._always)
        for word in words:
            found.update(self._by_anchor.get(word, ()))
        return sorted(found)

    def _used_not_mentioned(
        self, kept: list[_Candidate], ctx: DocContext | None, words: frozenset[int]
    ) -> list[_Candidate]:
        """Drop matches that a mention cue introduces in the same sentence."""
        if ctx is None:
            return kept
        cues = self._mentions.find(ctx.doc, words)
        if not cues:
            return kept
        return [
            c
            for c in kept
            if not any(
                ctx.window_before(c.start, MENTION_WINDOW)[0] < e <= c.start for _, e in cues
            )
        ]

    def _passes(self, cand: _Candidate, ctx: DocContext, words: frozenset[int]) -> bool:
        rule = self._rules[cand.rule_index]
        for cond, phrases in zip(rule.conditions, self._conditions[cand.rule_index], strict=True):
            hits = phrases.find(ctx.doc, words) if phrases is not None else []
            if not _condition_holds(cond, hits, ctx, cand):
                return False
        return True

    def _flag(self, doc: Doc, cand: _Candidate, quotes: list[tuple[int, int]]) -> Flag:
        rule = self._rules[cand.rule_index]
        span = doc[cand.start : cand.end]
        start, end = span.start_char, span.end_char
        if quotes and inside_quotes(quotes, start, end):
            return Flag(
                start,
                end,
                span.text,
                QUOTE_WHY + rule.why,
                QUOTE_SUGGESTION + rule.suggestion,
                "advice",
                rule.id,
            )
        return Flag(start, end, span.text, rule.why, rule.suggestion, rule.severity, rule.id)


def _condition_holds(
    cond: Condition, hits: list[tuple[int, int]], ctx: DocContext, cand: _Candidate
) -> bool:
    start, end = cand.start, cand.end
    if cond.kind == "refers_to_adult":
        return ctx.refers_to_adult(start, end, cond.window, cond.direction)
    if cond.kind == "child_age_stated":
        return ctx.child_age_stated(start, end)
    if cond.kind == "not_part_of":
        return not any(s < end and start < e for s, e in hits)
    lo, _ = ctx.window_before(start, cond.window)
    _, hi = ctx.window_after(end, cond.window)
    before = any(lo < e <= start for _, e in hits)
    after = any(end <= s < hi for s, _ in hits)
    found = {
        "not_preceded_by": not before,
        "not_followed_by": not after,
        "preceded_by": before,
        "followed_by": after,
        "near": before or after,
        "not_near": not (before or after),
    }
    return found[cond.kind]


def _anchor_index(matchers: list[PhraseSet]) -> tuple[dict[int, list[int]], list[int]]:
    """For each anchor word, the rules it anchors; and the rules with no anchor (always tried)."""
    by_anchor: dict[int, list[int]] = {}
    always = []
    for index, matcher in enumerate(matchers):
        if matcher.anchors is None:
            always.append(index)
            continue
        for word in matcher.anchors:
            by_anchor.setdefault(word, []).append(index)
    return by_anchor, always


def _non_overlapping(doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
    """Longest matches first (then rule order); drop any that overlap one already taken."""

    def key(c: _Candidate) -> tuple[int, int, int]:
        length = doc[c.end - 1].idx + len(doc[c.end - 1]) - doc[c.start].idx
        return (-length, c.rule_index, c.start)

    taken: list[_Candidate] = []
    for cand in sorted(cands, key=key):
        if all(cand.end <= t.start or t.end <= cand.start for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


_DEFAULT_LOCK = threading.Lock()
_DEFAULT: Checker | None = None


def default_checker() -> Checker:
    """The shared checker over the shipped rules (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = Checker()
    return _DEFAULT


def check_text(text: str) -> list[Flag]:
    """Flags for one text with the shipped rules. See `Checker.check_text`."""
    return default_checker().check_text(text)


def check_many(texts: Iterable[str]) -> list[list[Flag]]:
    """Flags for many texts with the shipped rules, in order. See `Checker.check_many`."""
    return default_checker().check_many(texts)
