"""Enrichment: sentiment of posts and comments."""

import dagster as dg

from dagster_project.defs.enrichment.assets import sentiment

defs = dg.Definitions(assets=[sentiment])
