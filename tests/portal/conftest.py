"""Fixtures of the portal tests: fast passwords."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 costs half a second per user made; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
