"""Per-account outcomes in the raw tables' metadata, and the group's ``accounts_synced`` check."""


from typing import Any

import dagster as dg

ACCOUNTS_CHECK = "accounts_synced"


def status(outcome: dict[str, Any]) -> str:
    """ok, held (not attempted: a stored hold) or failed."""
    if outcome["ok"]:
        return "ok"
    return "held" if outcome.get("skipped") else "failed"


def outcome_metadata(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """accounts, accounts_failed, an account_outcomes table and failed_accounts (json)."""
    columns = [dg.TableColumn("account", "string"), dg.TableColumn("account_ids", "string"),
               dg.TableColumn("status", "string"), dg.TableColumn("needs_reauth", "bool"),
               dg.TableColumn("error", "string")]
    records = [dg.TableRecord({
        "account": o["name"], "account_ids": ",".join(map(str, o["account_ids"])),
        "status": status(o), "needs_reauth": bool(o["needs_reauth"]),
        "error": o["error"] or ""}) for o in outcomes]
    failed = [{"account": o["name"], "account_ids": list(o["account_ids"]), "error": o["error"],
               "needs_reauth": o["needs_reauth"], "held": bool(o.get("skipped"))}
              for o in outcomes if not o["ok"]]
    return {
        "accounts": len(outcomes),
        "accounts_failed": len(failed),
        "account_outcomes": dg.MetadataValue.table(records, dg.TableSchema(columns)),
        "failed_accounts": dg.MetadataValue.json(failed),
    }


def accounts_check(group: str, primary: dg.AssetKey, name: str) -> dg.AssetChecksDefinition:
    """WARN check on the group's posts table: every account of its last materialization synced
    (read from that materialization's metadata, written by ``<group>_publish``)."""

    @dg.asset_check(asset=primary, name=name, blocking=False,
                    description=f"every connected {group} account synced in the last run")
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        event = context.instance.get_latest_materialization_event(primary)
        mat = event.asset_materialization if event else None
        meta = mat.metadata if mat else {}
        failed_md = meta.get("failed_accounts")
        failed = list(getattr(failed_md, "value", None) or [])
        total_md = meta.get("accounts")
        total = int(getattr(total_md, "value", 0) or 0)
        if failed:
            names = "; ".join(f"{f['account']} ({f['error']})" for f in failed)
            description = f"{len(failed)} of {total} accounts failed: {names}"
        else:
            description = f"all {total} accounts synced"
        return dg.AssetCheckResult(
            passed=not failed, severity=dg.AssetCheckSeverity.WARN, description=description,
            metadata={"failed_accounts": dg.MetadataValue.json([f["account"] for f in failed])})

    return _check
