"""Language rules a safeguarding lead adds in the UI, merged with the shipped rules, and the
checker built from them (cached: rebuilt only when the rules change).

>>> flags = check_with(None, "She absconded from her placement.")
>>> [(f["text"], f["replacement"]) for f in flags]
[('absconded', 'went missing')]
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from safehub.db.models.practice import LanguageRule
from safehub.db.queries.practice.notes import list_active_rules, list_rule_ids_like, list_rules
from safehub.db.uow import UnitOfWork
from safehub.services.errors import ForbiddenError, NotFoundError
from safehub.services.practice.refusals import refuse_if

# The checker (and spaCy under it) is imported where it is used, not here: every CLI command
# and job imports the event handlers, and through them this package (victim alerts), but few
# of them check language; importing spaCy would add seconds and 120 MB to each of them.
if TYPE_CHECKING:
    from safehub.language import Checker, Flag, Rule, RuleBook

SEVERITIES = {"error": "Change this", "advice": "Think about this"}

# Where a shipped rule's flagged words have a drop-in alternative, the editor offers it as a
# button. Only for these: most rules need the sentence rewritten to name what the adults did,
# and a button that swapped words would hide that.
SHIPPED_REPLACEMENTS: dict[str, dict[str, str]] = {
    "absconding": {
        "absconded": "went missing",
        "absconding": "going missing",
        "abscond": "go missing",
        "absconds": "goes missing",
        "absconder": "child who went missing",
    },
    "csam": {"*": "child sexual abuse material"},
    "prostitution": {
        "child prostitute": "child being sexually exploited",
        "child prostitution": "child sexual exploitation",
        "prostitution": "sexual exploitation",
        "underage sex worker": "child being sexually exploited",
    },
}


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The local rules in force and the checker over them with the shipped ones."""

    checker: Checker
    digest: str
    replacements: dict[str, dict[str, str]]

    def flag(self, flag: Flag) -> dict[str, object]:
        """The flag as stored and shown (see ``flag_dict``)."""
        return flag_dict(flag, self.replacements, self.checker.rulebook)


_LOCK = threading.Lock()
_CACHE: dict[str, Checker] = {}


def active_rules(uow: UnitOfWork) -> RuleSet:
    """The checker for the rules in force now. Reading rules is not personal data: not audited."""
    local = list_active_rules(uow.session)
    data = [_as_rule_data(r) for r in local]
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    replacements = dict(SHIPPED_REPLACEMENTS)
    replacements.update({r.rule_id: {"*": r.replacement} for r in local if r.replacement})
    return RuleSet(_checker_for(digest, data), digest, replacements)


def _checker_for(digest: str, data: list[dict[str, Any]]) -> Checker:
    from safehub.language import Checker, default_checker, load_rules

    if not data:
        return default_checker()
    with _LOCK:
        checker = _CACHE.get(digest)
        if checker is None:
            if len(_CACHE) >= 4:  # rules change rarely; keep the cache small
                _CACHE.clear()
            checker = _CACHE[digest] = Checker(load_rules(extra=data))
        return checker


def _as_rule_data(rule: LanguageRule) -> dict[str, Any]:
    return {
        "id": rule.rule_id,
        "title": rule.title,
        "patterns": list(rule.patterns),
        "why": rule.why,
        "suggestion": rule.suggestion,
        "severity": rule.severity,
    }


def flag_dict(
    flag: Flag, replacements: dict[str, dict[str, str]], book: RuleBook | None = None
) -> dict[str, object]:
    """A flag as stored and sent to the editor, with a drop-in replacement where there is one,
    and the rule's title (which rule flagged it, in words). Words in quotation marks (advice to
    attribute them) are never replaced: they may be the child's own."""
    data = flag.to_dict()
    data["rule_title"] = _title(book, flag.rule_id)
    options = replacements.get(flag.rule_id, {})
    quoted = flag.severity == "advice" and flag.why.startswith("This is inside quotation marks")
    data["replacement"] = None if quoted else options.get(flag.text.lower(), options.get("*"))
    return data


def _title(book: RuleBook | None, rule_id: str) -> str:
    if book is None:
        return ""
    try:
        return book.rule(rule_id).title
    except KeyError:
        return ""


def check_with(uow: UnitOfWork | None, text: str) -> list[dict[str, object]]:
    """Flags for a text with the rules in force (the shipped rules when there is no database)."""
    from safehub.language import default_checker

    if uow is None:
        checker = default_checker()
        return [
            flag_dict(f, SHIPPED_REPLACEMENTS, checker.rulebook) for f in checker.check_text(text)
        ]
    rules = active_rules(uow)
    return [rules.flag(f) for f in rules.checker.check_text(text)]


@dataclass(frozen=True, slots=True)
class RuleDraft:
    """A local rule as a lead writes it: the phrases to flag, why, what to write instead, how
    strongly, a drop-in replacement (optional) and an example it must flag (optional)."""

    title: str
    patterns: tuple[str, ...]
    why: str
    suggestion: str
    severity: str
    replacement: str | None = None
    example: str | None = None

    def problems(self) -> dict[str, str]:
        """Field errors; empty when the rule can be added. The rule is compiled, and the example
        (if given) must be flagged by it, so a lead sees at once whether it works."""
        from safehub.language import Checker, RuleError, load_rules

        errors = _missing(self)
        if errors:
            return errors
        try:
            checker = Checker(load_rules(extra=[_draft_data("local-draft", self)]))
        except RuleError as exc:
            return {"patterns": f"A phrase could not be read: {exc}"}
        if self.example and not any(
            f.rule_id == "local-draft" for f in checker.check_text(self.example)
        ):
            errors["example"] = "The rule does not flag this example: check the phrases"
        return errors


def _missing(draft: RuleDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = "Enter a short name for the rule"
    if not draft.patterns:
        errors["patterns"] = "Enter at least one phrase to flag, one per line"
    if len(draft.why.strip()) < 10:
        errors["why"] = "Explain why the words matter, in a sentence"
    if len(draft.suggestion.strip()) < 5:
        errors["suggestion"] = "Say what to write instead"
    if draft.severity not in SEVERITIES:
        errors["severity"] = "Select how strongly to flag the words"
    return errors


def _draft_data(rule_id: str, draft: RuleDraft) -> dict[str, Any]:
    return {
        "id": rule_id,
        "title": draft.title.strip(),
        "patterns": list(draft.patterns),
        "why": draft.why.strip(),
        "suggestion": draft.suggestion.strip(),
        "severity": draft.severity,
    }


def add_language_rule(uow: UnitOfWork, *, draft: RuleDraft) -> LanguageRule:
    """Add a local rule. Its id never replaces a shipped rule (local rules start ``local-``).

    Raises ``PracticeRefusedError`` naming each problem of the draft.
    """
    refuse_if(draft.problems())
    if uow.actor.user_id is None:
        raise ForbiddenError("a rule is added by a member of staff")
    rule = LanguageRule(
        rule_id=_unique_id(uow, draft.title),
        title=draft.title.strip(),
        patterns=list(draft.patterns),
        why=draft.why.strip(),
        suggestion=draft.suggestion.strip(),
        severity=draft.severity,
        replacement=(draft.replacement or "").strip() or None,
        created_by_user_id=uow.actor.user_id,
    )
    uow.session.add(rule)
    uow.session.flush()
    uow.audit("collection", "language_rule", [rule.id], purpose="language rule added")
    return rule


def _unique_id(uow: UnitOfWork, title: str) -> str:
    base = "local-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "rule")
    taken = list_rule_ids_like(uow.session, base)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def retire_language_rule(uow: UnitOfWork, *, rule_id: int) -> LanguageRule:
    """Stop using a local rule. It is kept, so flags it made on saved notes still explain."""
    rule = uow.session.get(LanguageRule, rule_id)
    if rule is None:
        raise NotFoundError(f"language rule {rule_id}")
    rule.active = False
    rule.retired_at = datetime.now(UTC)
    uow.audit(
        "alteration",
        "language_rule",
        [rule_id],
        purpose="language rule retired",
        detail={"by": uow.actor.label},
    )
    return rule


def list_language_rules(uow: UnitOfWork) -> tuple[list[Rule], list[LanguageRule]]:
    """(shipped rules, local rules newest first)."""
    from safehub.language import default_checker

    return list(default_checker().rulebook.rules), list_rules(uow.session)


def split_patterns(raw: str) -> tuple[str, ...]:
    """One phrase per line, blanks dropped.

    >>> split_patterns("party girl\\n\\n  wild child ")
    ('party girl', 'wild child')
    """
    return tuple(line.strip() for line in raw.splitlines() if line.strip())
