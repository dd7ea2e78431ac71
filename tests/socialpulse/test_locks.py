"""Advisory-lock namespaces: every lock the code takes has its own."""

from __future__ import annotations

from socialpulse import locks


def test_every_namespace_is_distinct_and_fits_a_postgres_int() -> None:
    namespaces = {k: v for k, v in vars(locks).items() if k.isupper()}
    assert len(namespaces) >= 4
    assert len(set(namespaces.values())) == len(namespaces), namespaces
    assert all(isinstance(v, int) and -2**31 <= v < 2**31 for v in namespaces.values())
