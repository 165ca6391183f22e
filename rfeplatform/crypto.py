"""Encryption of credentials at rest: MultiFernet over FIELD_ENCRYPTION_KEY.

The first key encrypts, every key decrypts, so a key is rotated by prepending a new one and running
`manage.py rotate_encryption_keys`, which re-encrypts stored values with the first key.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """A stored secret cannot be decrypted with any configured key (the key was removed or changed)."""


@cache
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])


def _current() -> MultiFernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY)


def encrypt(plaintext: str) -> str:
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The stored secret cannot be decrypted with the configured keys.") from error


def rotate(token: str) -> str:
    """The same secret, encrypted with the current first key."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The stored secret cannot be decrypted with the configured keys.") from error
