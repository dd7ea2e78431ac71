"""Dagster code location of socialpulse: ingestion (dlt), transformation (dbt), enrichment
(sentiment), data quality (great-expectations) and alerting, merged in ``definitions.py``."""
