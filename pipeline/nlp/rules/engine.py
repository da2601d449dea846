"""The registry of recognizers and the candidates they propose.

A recognizer is a function of one family (person, place, org, project) registered with
`@recognizer(rule_id, scope, needs)`; it reads the `Sentence` (units and lexicon hits) and returns
`Candidate`s. Its scope says where it runs: `lexicon` at every unit, `heading` at the words of an
ALL-CAPS heading, `prose` at the words of any other sentence, `sentence` once per sentence. `needs`
says what a unit must have for the recognizer to find anything there: a capital (`cap`) or a hit of
one of the sentence's lexicons ("titles"); most units of a sentence have neither, so most calls are
skipped. The
run order and every weight are data: `resources/rules.tsv` (rule_id, family, scope, weight, example).
The `rule_id` becomes `mentions.source`.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ... import lexicons
from .units import HIT_INDEXES

SCOPES = ("lexicon", "heading", "prose", "sentence")
RESOLVER_SCOPES = ("variant", "resolver", "external", "document")


@dataclass(frozen=True)
class Mention:
    """A recognized span of the sentence: character offsets, label and normalized attributes."""

    start: int
    end: int
    label: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Candidate:
    """A proposed span: unit indices (end exclusive), label, the weight it competes with (a row of
    rules.tsv: lower wins first; within a weight, longer wins) and attributes. The engine sets
    `attrs["source"]` to the rule_id of the recognizer that proposed it."""

    start: int
    end: int
    label: str
    weight: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def rule_id(self) -> str | None:
        return self.attrs.get("source")


@dataclass(frozen=True)
class Recognizer:
    rule_id: str
    family: str
    scope: str
    run: Callable
    needs: tuple[str, ...] = ()  # any of them; empty: every unit


RECOGNIZERS: dict[str, Recognizer] = {}


def recognizer(rule_id: str, scope: str, needs: tuple[str, ...] = ()):
    """Register a recognizer: `(sentence, i) -> list[Candidate]`, or `(sentence) -> …` for scope `sentence`.
    Its family is its module's name (`person`, `place`, `org`, `project`). `needs`: unit i must start a
    capitalized syllable (`cap`, which includes all capitals) or a hit of one of these `Sentence` lexicons
    (`HIT_INDEXES`), or the recognizer returns nothing there."""
    assert scope in SCOPES, scope
    assert set(needs) <= {"cap", *HIT_INDEXES}, needs
    assert not needs or scope != "sentence", rule_id

    def register(fn):
        if rule_id in RECOGNIZERS:
            raise ValueError(f"recognizer {rule_id!r} registered twice")
        RECOGNIZERS[rule_id] = Recognizer(rule_id, fn.__module__.rsplit(".", 1)[-1], scope, fn, tuple(needs))
        return fn

    return register


_fired: list[str] | None = None  # the vetoes that fired, while trace_vetoes() is on


def veto(veto_id: str) -> list:
    """A named veto (a row of resources/vetoes.tsv): the recognizer proposes nothing here."""
    if _fired is not None:
        _fired.append(veto_id)
    return []


def vetoed(veto_id: str) -> None:
    """A named veto in a shape function, which returns None instead of a list."""
    veto(veto_id)
    return None


@contextlib.contextmanager
def trace_vetoes() -> Iterator[list[str]]:
    """Record the ids of the vetoes that fire inside the block.

    >>> from pipeline.nlp.rules import Sentence, run_rule
    >>> with trace_vetoes() as fired:
    ...     _ = run_rule(Sentence.of("Học tiếng Lào.", "Học/V tiếng/N Lào/Np ./CH"), "place_lexicon")
    >>> fired
    ['place_lexicon.language']
    """
    global _fired
    previous, _fired = _fired, []
    try:
        yield _fired
    finally:
        _fired = previous


@functools.cache
def vetoes() -> dict[str, dict]:
    """veto_id → its row of vetoes.tsv (rule_id, example)."""
    return {r["veto_id"]: r for r in lexicons.table("vetoes.tsv")}


@functools.cache
def rule_table() -> tuple[dict, ...]:
    """Rows of rules.tsv in file order (the order recognizers run in, which breaks ties)."""
    return tuple(lexicons.table("rules.tsv"))


@functools.cache
def rule_weights() -> dict[str, int]:
    """rule_id (or rule_id.variant) → weight; rules that take their parent's weight have none."""
    return {r["rule_id"]: int(r["weight"]) for r in rule_table() if r["weight"]}


@functools.cache
def _order() -> dict[str, tuple]:
    rows = [r for r in rule_table() if r["scope"] in SCOPES]
    missing = set(RECOGNIZERS) - {r["rule_id"] for r in rows}
    unknown = {r["rule_id"] for r in rows} - set(RECOGNIZERS)
    if missing or unknown:
        raise ValueError(f"rules.tsv and the registered recognizers differ: missing rows {sorted(missing)}, "
                         f"rows without a recognizer {sorted(unknown)}")
    return {scope: tuple(RECOGNIZERS[r["rule_id"]].run for r in rows if r["scope"] == scope)
            for scope in SCOPES} | {"names": {RECOGNIZERS[r["rule_id"]].run: r["rule_id"] for r in rows}}


def candidates(s) -> list[Candidate]:
    """Every recognizer's candidates for the sentence, in rules.tsv order, unit by unit; each carries
    its rule's id as `attrs["source"]`."""
    names = _order()["names"]
    out: list[Candidate] = []
    caps_line = s.caps_line
    for i, (u, mask) in enumerate(zip(s.units, s.hit_mask)):
        # what unit i offers: a word or not, a capital, which lexicons have a hit there
        for run in _runs(caps_line, u.alpha, u.cap or u.upper, mask):
            found = run(s, i)
            if found:
                rule = names[run]
                for c in found:
                    c.attrs.setdefault("source", rule)
                out.extend(found)
    for run in _order()["sentence"]:
        found = run(s)
        rule = names[run]
        for c in found:
            c.attrs.setdefault("source", rule)
        out.extend(found)
    return out


@functools.cache
def _runs(caps_line: bool, alpha: bool, cap: bool, hit_mask: int) -> tuple[Callable, ...]:
    """The recognizers to call, in order, at a unit of a heading or not, a word or not, with a capital
    or not, and the lexicon hits of `Sentence.hit_mask`: lexicon rules at every unit; at a word,
    heading rules in headings and prose rules elsewhere."""
    order = _order()
    runs = order["lexicon"] + ((order["heading"] if caps_line else order["prose"]) if alpha else ())
    have = {"cap"} if cap else set()
    have |= {name for k, name in enumerate(HIT_INDEXES) if hit_mask >> k & 1}
    by_run = {r.run: r for r in RECOGNIZERS.values()}
    return tuple(run for run in runs if not by_run[run].needs or have & set(by_run[run].needs))


def run_rule(s, rule_id: str) -> list[Candidate]:
    """One recognizer over the whole sentence, where its scope lets it run (for tests and debugging).

    >>> from pipeline.nlp.rules import Sentence
    >>> s = Sentence.of("Ảnh: Gia Chính", "Ảnh/N :/CH Gia_Chính/Np")
    >>> [(s.text[s.units[c.start].start:s.units[c.end - 1].end], c.label, c.rule_id) for c in run_rule(s, "credit")]
    [('Gia Chính', 'LEADER', 'credit')]
    """
    rec = RECOGNIZERS[rule_id]
    if rec.scope == "sentence":
        found = list(rec.run(s))
    else:
        found = [c for i, u in enumerate(s.units)
                 if (rec.scope == "lexicon" or u.alpha and (rec.scope == "heading") == s.caps_line)
                 and (not rec.needs or "cap" in rec.needs and (u.cap or u.upper)
                      or any(s._hits[name][i] is not None for name in rec.needs if name != "cap"))
                 for c in rec.run(s, i)]
    for c in found:
        c.attrs.setdefault("source", rule_id)
    return found
