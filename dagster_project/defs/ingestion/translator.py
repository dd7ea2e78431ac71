"""dlt resource -> asset spec: the key is [dataset, table], the key of the dbt source reading it."""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg
from dagster_dlt import DagsterDltTranslator
from dagster_dlt.translator import DltResourceTranslatorData

from dagster_project.constants import raw_key

GROUP_NAME = "ingestion"


@dataclass
class RawTableTranslator(DagsterDltTranslator):
    """Keys dlt resources of one source group by the raw table they write."""

    group: str = ""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        table = data.resource.table_name
        name = table if isinstance(table, str) else data.resource.name
        spec = super().get_asset_spec(data)
        return spec.replace_attributes(
            key=raw_key(self.group, name), deps=[], group_name=GROUP_NAME,
            description=f"raw_{self.group}.{name}, loaded by the {self.group} dlt source "
                        f"(resource `{data.resource.name}`)",
        ).merge_attributes(kinds={"dlt", "postgres"})
