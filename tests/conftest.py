"""Shared test set-up.

Hypothesis profiles: ``make test`` and CI use "fixed" (derandomized: the same examples on every
run and machine, no example database), so the suite's verdict never depends on a random draw.
``make explore`` runs the same properties with fresh randomness and more examples, by hand,
to look wider; a failure found there becomes a named test case.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("fixed", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))
