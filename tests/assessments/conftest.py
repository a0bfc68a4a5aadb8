"""Fixtures shared by the assessments tests (the SCIM client: tests/assessments/scim_helpers.py)."""

from tests.assessments.scim_helpers import scim, scim_token  # noqa: F401
