"""Writes examples/atlas/ATLAS.yaml from the ATLAS subset Rampart bundles, in the layout of dist/ATLAS.yaml."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parents[2]
d = json.loads((root / "core/src/main/resources/dev/rampart/core/atlas/atlas-5.6.0-curated.json").read_text())
q = json.dumps
out = ["# ATLAS.yaml in the layout of mitre-atlas/atlas-data's dist/ATLAS.yaml, holding the ML-lifecycle subset of",
       "# ATLAS data version 5.6.0 that Rampart bundles (ids, names, tactics and mitigations only). Copyright 2021-2025 MITRE,",
       "# Apache License 2.0: see core/src/main/resources/dev/rampart/core/atlas/NOTICE-ATLAS. Written from the bundled JSON",
       "# by make_atlas_yaml.py beside it; 'rampart atlas --data' reads a full release the same way.",
       "id: ATLAS", "name: Adversarial Threat Landscape for AI Systems", "version: 5.6.0", "matrices:",
       "  - id: ATLAS", "    name: ATLAS Matrix", "    tactics:"]
for tid, name in d["tactics"]:
    out.append(f"      - {{id: {tid}, name: {q(name)}, object-type: tactic}}")
out.append("    techniques:")
mitigated = {}
for t in d["techniques"]:
    sub = f", subtechnique-of: {t['id'].rsplit('.', 1)[0]}" if t["id"].count(".") == 2 else ""
    tactics = f", tactics: [{', '.join(t['tactics'])}]" if t.get("tactics") else ""
    out.append(f"      - {{id: {t['id']}, name: {q(t['name'])}, object-type: technique{tactics}{sub}}}")
    for m in t.get("mitigations", []):
        mitigated.setdefault(m, []).append(t["id"])
out.append("    mitigations:")
for mid, name in d["mitigations"]:
    out += [f"      - id: {mid}", f"        name: {q(name)}", f"        techniques: [{', '.join(mitigated.get(mid, []))}]"]
(root / "examples/atlas/ATLAS.yaml").write_text("\n".join(out) + "\n")
