"""Stateless deterministic randomness: every value is a hash of the seed and a key path.

This is what lets the world be generated lazily: post 1,234,567 of account 42 is computed on
demand, identically every time, without generating the posts before it.
"""

from __future__ import annotations

import hashlib
import math
import struct


def unit(seed: int, *key: object) -> float:
    """A uniform float in [0, 1) determined by ``seed`` and ``key``."""
    digest = hashlib.blake2b(repr((seed, *key)).encode(), digest_size=8).digest()
    return (struct.unpack(">Q", digest)[0] >> 11) / float(1 << 53)


def between(seed: int, lo: float, hi: float, *key: object) -> float:
    """A uniform float in [lo, hi)."""
    return lo + (hi - lo) * unit(seed, *key)


def integer(seed: int, lo: int, hi: int, *key: object) -> int:
    """A uniform integer in [lo, hi]."""
    return lo + int(unit(seed, *key) * (hi - lo + 1))


def choice(seed: int, options: list | tuple, *key: object):
    """One element of ``options``."""
    return options[int(unit(seed, *key) * len(options))]


def lognormal(seed: int, mu: float, sigma: float, *key: object) -> float:
    """A log-normal draw (Box-Muller on two hashed uniforms)."""
    u1 = max(unit(seed, *key, "a"), 1e-12)
    u2 = unit(seed, *key, "b")
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2 * math.pi * u2)
    return math.exp(mu + sigma * z)
