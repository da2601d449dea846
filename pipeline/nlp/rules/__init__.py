"""Rule-based recognition of LEADER, PLACE, ORG and PROJECT.

Layout (a new domain is one family module, some data rows and one test file):
- `units.py`: `Sentence`, its syllable units and precomputed lexicon hits, and the shared predicates on them.
- `words.py`: the word roles from `resources/word_roles.tsv`.
- `shapes.py`: name shapes shared by the families (person names, proper-name runs, acronyms, the extent
  of an organization or place name); they return indices, never candidates.
- `person.py`, `place.py`, `org.py`, `project.py`: the recognizers of each family, registered with
  `@recognizer` (`engine.py`), each `(sentence, i) -> list[Candidate]`; they do not call each other.
- `resolve.py`: the best non-overlapping set, with weights from `resources/rules.tsv`.
- `document.py`: document-level evidence (the same name elsewhere in the document; match reports).

Signals, all general: lexicons (places, titles, organization and project heads, acronyms,
surnames), capitalization and name shape, Vietnamese vs foreign orthography, trigger words
("tỉnh", "thủ đô", "cửa khẩu"…), and underthesea POS. Candidates are resolved outermost-first
within weights, as ANNOTATION.md asks ("Đảng Cộng sản Việt Nam" is one ORG).
"""
from __future__ import annotations

from . import org, person, place, project  # noqa: F401  (register the recognizers, in any order)
from .document import resolve_document
from .engine import RECOGNIZERS, Candidate, Mention, candidates, recognizer, rule_weights, run_rule, trace_vetoes
from .resolve import resolve
from .units import Sentence, Unit, make_units, resources

__all__ = ["Candidate", "analyse_sentence", "Mention", "RECOGNIZERS", "Sentence", "Unit", "candidates", "make_units", "recognize",
           "recognizer", "resolve", "resolve_document", "resources", "rule_weights", "run_rule", "sentence_mentions", "trace_vetoes"]


def analyse_sentence(text: str, words: list[tuple[int, int, str]],
                     extra: list[Mention] = ()) -> tuple[list[Mention], list[Unit]]:
    """Non-overlapping mentions of one sentence and the syllable units they were read from (the document rules
    read them again); `extra` (values found by another component) competes too."""
    s = Sentence(text, words)
    return resolve(s, candidates(s), extra), s.units


def sentence_mentions(text: str, words: list[tuple[int, int, str]], extra: list[Mention] = ()) -> list[Mention]:
    """Non-overlapping mentions of one sentence; `extra` (values found by another component) competes too."""
    return analyse_sentence(text, words, extra)[0]


def recognize(text: str, words: list[tuple[int, int, str]]) -> list[Mention]:
    """LEADER/PLACE/ORG/PROJECT mentions of one sentence, given its underthesea words (start, end, pos).

    >>> [(text[m.start:m.end], m.label) for text in ["Tổng Bí thư Tô Lâm thăm Lào."]
    ...  for m in recognize(text, [(0, 11, "N"), (12, 18, "Np"), (19, 23, "V"), (24, 27, "Np"), (27, 28, "CH")])]
    [('Tô Lâm', 'LEADER'), ('Lào', 'PLACE')]
    """
    return sentence_mentions(text, words)
