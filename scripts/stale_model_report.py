"""Report dbt models used only by stale Looker content, so their owners can retire them too.

Reads the exposures in target/manifest.json (Looker content is tied to an exposure by
config.meta.looker_content_type / looker_content_id) and the bi_deprecation_candidates
mart. A model is reported when every exposure using it is stale (warn, soft_delete or
hard_delete) or its content is gone from Looker. Exposures without a Looker id count as live.

    python -m scripts.stale_model_report      # exit 0: none, 1: some reported, 2: cannot run
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from scripts.warehouse import MART_SCHEMA, rows

STALE = ("warn", "soft_delete", "hard_delete")


def stale_models(manifest: dict, actions: dict[tuple[str, str], str]) -> dict[str, list[str]]:
    """model unique_id -> the stale exposures using it, for models with no live exposure."""
    users: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for exposure in manifest.get("exposures", {}).values():
        meta = {**exposure.get("meta", {}), **exposure.get("config", {}).get("meta", {})}
        key = (meta.get("looker_content_type"), str(meta.get("looker_content_id")))
        if key[0] is None:
            stale = False
        else:
            action = actions.get(key)
            stale = action is None or action in STALE  # gone from Looker, or stale
        for node in exposure.get("depends_on", {}).get("nodes", []):
            if node.startswith("model."):
                users[node].append((exposure["name"], stale))
    return {
        model: [name for name, _ in uses]
        for model, uses in sorted(users.items())
        if all(stale for _, stale in uses)
    }


def main(argv: Sequence[str] | None = None) -> int:
    manifest_path = Path(argv[0] if argv else "target/manifest.json")
    try:
        manifest = json.loads(manifest_path.read_text())
        actions = {
            (kind, str(item)): action
            for kind, item, action in rows(
                None,
                f"select content_type, content_id, deprecation_action "
                f"from {MART_SCHEMA}.bi_deprecation_candidates",
            )
        }
    except Exception as exc:
        print(f"stale_model_report: {exc} (run make build first)", file=sys.stderr)
        return 2
    report = stale_models(manifest, actions)
    for model, exposures in report.items():
        print(f"{model}: used only by stale content ({', '.join(exposures)})")
    if not report:
        print("every model with a Looker exposure is still used by live content")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
