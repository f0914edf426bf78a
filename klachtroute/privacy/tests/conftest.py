"""Fixtures shared with the complaint pages' tests."""

from klachtroute.cases.tests.conftest import login  # noqa: F401
