"""Rewrite asset_keys.txt from the code location: ``python -m tests.dagster_project.asset_keys``."""

from tests.dagster_project.test_dagster_definitions import ASSET_KEYS_FILE, _asset_key_lines

if __name__ == "__main__":
    ASSET_KEYS_FILE.write_text("\n".join(_asset_key_lines()) + "\n")
    print(f"wrote {ASSET_KEYS_FILE}")
