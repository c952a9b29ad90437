"""Hypothesis profiles of the review-value property tests (marked `review_fuzz`).

CI runs each property with `review-ci` (1,000 examples); `make fuzz-web` picks `review-fuzz` through
$DYADWATCH_REVIEW_PROFILE for a longer search. The profiles are applied per test, so other property tests keep
their own settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("review-ci", max_examples=1_000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("review-fuzz", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
REVIEW_PROFILE = settings.get_profile(os.environ.get("DYADWATCH_REVIEW_PROFILE", "review-ci"))
