"""Fixtures of the portal tests: a clean impression tally, fast passwords."""

import pytest

from banners.impressions import tally


@pytest.fixture(autouse=True)
def _fresh_tally():
    tally.take()
    yield
    tally.take()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 costs half a second per user made; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
