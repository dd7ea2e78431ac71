"""Data quality: great-expectations suites as asset checks (raw tables and marts.posts)."""
