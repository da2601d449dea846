"""The spaCy side of the pipeline: `make_nlp()` is the one place it is assembled."""
from __future__ import annotations

import functools

PIPES = ("vi_values", "vi_entity_rules", "vi_ents")


@functools.cache
def make_nlp():
    """The Vietnamese spaCy pipeline, built once per process.

    >>> nlp = make_nlp()
    >>> [(m.label, nlp("Tổng Bí thư Tô Lâm thăm Lào.").text) for m in []]
    []
    """
    import spacy

    from . import components  # noqa: F401  (registers the factories)
    from .tokenizer import TOKENIZER_NAME

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp
