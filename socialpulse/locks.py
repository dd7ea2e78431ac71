"""Postgres advisory-lock namespaces, in one place so no two uses of the warehouse's locks can
collide: the two-key form ``pg_advisory_lock(namespace, key)`` takes one of these as its first
key. Which lock is which, and why it is held, is documented where it is taken."""

# account steps reading with one refreshable credential take turns (key: the credential's
# account_id; dagster_project/defs/ingestion/steps.py)
CREDENTIAL = 0x5350
# loads into one raw dataset take turns (key: hashtext of the dataset; dlt_sources/pipeline.py)
LOAD = 0x5351
# API slots of a source group (key: hashtext of "<group>_api:<slot>";
# dagster_project/defs/ingestion/api_slots.py)
API_SLOT = 0x5352
# competitor adds of one workspace (key: workspace_id; socialpulse/competitors.py)
COMPETITOR_LIMIT = 0x5343
