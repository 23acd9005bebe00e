"""helpers.fitting: Chan's merge of (count, mean, M2) summaries, and the two teaching pitfalls.

The merge is compared with NumPy on the concatenated data; the pitfalls with their
definitions written out here (they are measured against the exact fit in test_scaling.py).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.fitting import combine, pitfall_mean_of_batch_means, pitfall_one_pass_variance


def summary(x):
    return len(x), x.mean(), ((x - x.mean()) ** 2).sum()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 50), st.integers(0, 50), st.floats(-1e4, 1e4), st.integers(0, 2**32 - 1))
def test_combine_is_the_summary_of_the_concatenation(n_a, n_b, offset, seed):
    rng = np.random.default_rng(seed)
    a, b = offset + rng.standard_normal(n_a), offset + 3 * rng.standard_normal(n_b)
    n, mean, m2 = combine(summary(a) if n_a else (0, None, None),
                          summary(b) if n_b else (0, None, None))
    both = np.concatenate([a, b])
    assert n == len(both)
    if n:
        assert mean == pytest.approx(both.mean(), rel=1e-12, abs=1e-9)
        assert m2 == pytest.approx(((both - both.mean()) ** 2).sum(), rel=1e-9, abs=1e-9)


def test_the_pitfalls_compute_what_they_say():
    rng = np.random.default_rng(0)
    batches = [rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), rng.standard_normal((2, 3))]
    want = np.mean([b.mean() for b in batches])  # every batch weighs the same
    assert pitfall_mean_of_batch_means(batches) == pytest.approx(want)
    x = (1000 + rng.standard_normal(1000)).astype(np.float32)
    ex, ex2 = np.mean(x, dtype=np.float32), np.mean(x * x, dtype=np.float32)
    assert pitfall_one_pass_variance(x) == ex2 - ex * ex
