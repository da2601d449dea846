"""The spaCy side of the pipeline: `make_nlp()` is the one place it is assembled."""
from __future__ import annotations

import functools

PIPES = ("vi_values", "vi_entity_rules", "vi_ents")


@functools.cache
def make_nlp():
    """The Vietnamese spaCy pipeline, built once per process.

    >>> doc = make_nlp()("Tổng Bí thư Tô Lâm thăm Lào.")
    >>> [(doc.text[m.start:m.end], m.label) for m in doc._.mentions]
    [('Tô Lâm', 'LEADER'), ('Lào', 'PLACE')]
    """
    import spacy

    from . import components  # noqa: F401  (registers the factories)
    from .tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def to_displacy(doc) -> dict:
    """displaCy's manual format from the exact mentions (`doc.ents` must snap to underthesea words).

    >>> from spacy import displacy
    >>> data = to_displacy(make_nlp()("Tổng Bí thư Tô Lâm lựa chọn Lào."))
    >>> [data["text"][e["start"]:e["end"]] for e in data["ents"]]
    ['Tô Lâm', 'Lào']
    >>> "Tô Lâm" in displacy.render(data, style="ent", manual=True)
    True
    """
    return {"text": doc.text, "title": doc._.doc_id,
            "ents": [{"start": m.start, "end": m.end, "label": m.label} for m in doc._.mentions or []]}
