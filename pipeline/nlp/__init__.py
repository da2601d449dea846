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
