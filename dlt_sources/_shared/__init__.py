"""Pieces every platform source uses: HTTP client, errors, quarantine, warehouse look-ups."""
