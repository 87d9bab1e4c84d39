from scripts.stale_model_report import stale_models


def exposure(name, nodes, content_id=None):
    meta = {"looker_content_type": "dashboard", "looker_content_id": content_id}
    return {
        "name": name,
        "depends_on": {"nodes": nodes},
        "config": {"meta": meta if content_id else {}},
    }


def test_models_used_only_by_stale_or_vanished_content_are_reported():
    manifest = {
        "exposures": {
            "a": exposure("stale_dash", ["model.p.only_stale", "model.p.shared"], "1"),
            "b": exposure("live_dash", ["model.p.shared"], "2"),
            "c": exposure("gone_dash", ["model.p.only_gone"], "3"),
            "d": exposure("grafana", ["model.p.grafana_only"]),
        }
    }
    actions = {("dashboard", "1"): "soft_delete", ("dashboard", "2"): "keep"}
    assert stale_models(manifest, actions) == {
        "model.p.only_gone": ["gone_dash"],
        "model.p.only_stale": ["stale_dash"],
    }
