from __future__ import annotations

import numpy as np

from assistant.understanding import encoder


def test_rows_are_normalised_and_blank_texts_are_zero():
    vectors = encoder.encode(["Was ist Efus?", "", "  "])
    assert vectors.shape == (3, encoder.DIMENSIONS)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-3)
    assert not vectors[1].any() and not vectors[2].any()


def test_encode_one_is_the_row_of_encode():
    assert np.allclose(encoder.encode_one("Wer leitet Efus?"), encoder.encode(["Wer leitet Efus?"])[0], atol=1e-5)
