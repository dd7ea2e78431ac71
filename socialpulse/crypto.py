"""Encryption of platform tokens at rest, with key rotation (Fernet / MultiFernet)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from socialpulse.errors import ConfigError
from socialpulse.settings import get_settings

KEYS_ENV = "SOCIALPULSE_ENCRYPTION_KEYS"


def generate_key() -> str:
    """Return a new random Fernet key (url-safe base64 text)."""
    return Fernet.generate_key().decode()


class TokenCipher:
    """Encrypts with the first key and decrypts with any of them.

    Rotation: put a new key first in ``SOCIALPULSE_ENCRYPTION_KEYS``, keep the old ones after it,
    run ``socialpulse keys rotate`` to re-encrypt every stored token, then drop the old keys.
    """

    def __init__(self, keys: list[str]):
        if not keys:
            raise ConfigError(
                f"{KEYS_ENV} is not set: create one with `socialpulse keys generate` "
                "and export it (or put it in .env)"
            )
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"{KEYS_ENV} holds an invalid key: each must be 32 url-safe base64-encoded bytes"
            ) from exc

    @classmethod
    def from_settings(cls) -> TokenCipher:
        """Build the cipher from ``SOCIALPULSE_ENCRYPTION_KEYS``."""
        raw = get_settings().socialpulse_encryption_keys or ""
        return cls([k for k in raw.split(",") if k.strip()])

    def encrypt(self, plaintext: str) -> str:
        """Encrypt a token; the result is ASCII text safe to store."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """Decrypt a stored token; raises ConfigError when no configured key fits."""
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise ConfigError(
                f"a stored token cannot be decrypted with the keys in {KEYS_ENV}: "
                "was a key removed before `socialpulse keys rotate` ran?"
            ) from exc

    def rotate(self, ciphertext: str) -> str:
        """Re-encrypt a stored token under the primary (first) key."""
        return self._fernet.rotate(ciphertext.encode()).decode()
