"""Pieces every platform source uses: the raw-table contract, HTTP client, errors, quarantine,
warehouse look-ups."""
