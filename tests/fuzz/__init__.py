"""Property tests with Hypothesis. The profiles (`ci`, the default, and `long`) are registered in tests/conftest.py."""

from hypothesis import HealthCheck, settings


def fuzz_settings(times=1):
    """Settings for a property: `times` as many examples as the profile gives (more for cheap
    examples, fewer for costly ones, at least one).

    Each example runs in a savepoint rolled back at its end, so sharing the function-scoped fixtures between
    examples is safe: no example sees another's rows.
    """
    return settings(
        max_examples=max(1, round(settings.default.max_examples * times)),
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
