"""spaCy components that label LEADER, PLACE, ORG, PROJECT, AMOUNT, YEAR and DATE.

Each sentence Doc carries its mentions as exact character spans in `doc._.mentions` (underthesea
words do not always end where an entity ends); `vi_ents` mirrors them into `doc.ents` for spaCy
tools, snapping to word boundaries there. For exact highlighting use `pipeline.nlp.to_displacy`.
"""
from __future__ import annotations

from . import import_spacy

import_spacy()
from spacy.language import Language  # noqa: E402  (spaCy first, without its command line)
from spacy.tokens import Doc
from spacy.util import filter_spans

from .rules import Mention, analyse_sentence
from .tokenizer import doc_text, doc_words

# `units`: the syllable units the entity rules read (`rules.Unit`), kept for the document-level rules.
for _name, _default in (("doc_id", None), ("sent_id", None), ("offset", 0), ("doc_date", None), ("mentions", None),
                        ("units", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _words(doc: Doc) -> list[tuple[int, int, str]]:
    return [(start, end, tag) for start, end, _, tag in doc_words(doc)]


@Language.factory("vi_values", assigns=["doc._.mentions"])
def make_values(nlp: Language, name: str):
    """AMOUNT, YEAR and DATE from number patterns; dates take their missing year from `doc._.doc_date`."""
    from ..values import find_values

    def values(doc: Doc) -> Doc:
        ext = doc._  # spaCy makes a new `doc._` on each access
        found = [Mention(v.start, v.end, v.label, {**v.norm, "source": "values"})
                 for v in find_values(doc_text(doc), ext.doc_date)]
        ext.mentions = (ext.mentions or []) + found
        return doc

    return values


@Language.factory("vi_entity_rules", requires=["doc._.words"], assigns=["doc._.mentions", "doc._.units"])
def make_entity_rules(nlp: Language, name: str):
    """LEADER, PLACE, ORG and PROJECT from lexicons, name shape, trigger words and POS; the mentions
    already present (values) compete in the same outermost-first resolution."""

    def entity_rules(doc: Doc) -> Doc:
        ext = doc._
        ext.mentions, ext.units = analyse_sentence(doc_text(doc), _words(doc), ext.mentions or [])
        return doc

    return entity_rules


@Language.factory("vi_ents", assigns=["doc.ents"])
def make_ents(nlp: Language, name: str):
    """Mirror `doc._.mentions` into `doc.ents` (word-aligned) for displaCy."""

    def ents(doc: Doc) -> Doc:
        spans = [doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand")
                 for m in doc._.mentions or []]
        doc.ents = filter_spans([s for s in spans if s is not None])
        return doc

    return ents
