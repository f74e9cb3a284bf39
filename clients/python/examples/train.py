"""A training script recorded by Rampart: a nearest-centroid classifier on a small CSV, in plain Python.

    RAMPART_URL=... RAMPART_TOKEN=... python3 train.py PROJECT DATA_DIR OUT_DIR [--key KEY.pem]

The dataset is registered by digest, the parameters and accuracy are recorded, and the model is signed (with --key),
given provenance and uploaded as a version linked to the run, all when the 'with' block ends without an error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import rampart


def load(path: Path) -> List[Tuple[List[float], str]]:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [([float(v) for k, v in r.items() if k != "label"], r["label"]) for r in rows]


def centroids(rows: List[Tuple[List[float], str]]) -> Dict[str, List[float]]:
    sums: Dict[str, List[float]] = {}
    counts: Dict[str, int] = {}
    for x, y in rows:
        acc = sums.setdefault(y, [0.0] * len(x))
        for i, v in enumerate(x):
            acc[i] += v
        counts[y] = counts.get(y, 0) + 1
    return {y: [v / counts[y] for v in acc] for y, acc in sums.items()}


def predict(model: Dict[str, List[float]], x: List[float]) -> str:
    return min(model, key=lambda y: sum((a - b) ** 2 for a, b in zip(model[y], x)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("data", type=Path, help="a folder holding train.csv (numeric columns and 'label')")
    parser.add_argument("out", type=Path, help="where to write the model folder")
    parser.add_argument("--key", type=Path, help="sign the model and its provenance with this key (rampart keygen)")
    parser.add_argument("--run-name")
    parser.add_argument("--commit", help="the training code's commit id")
    args = parser.parse_args()

    signer = rampart.CliSigner(args.key) if args.key else None
    with rampart.run(args.project, args.run_name, signer=signer, code_commit=args.commit) as run:
        run.log_input("training-data", path=args.data)
        rows = load(args.data / "train.csv")
        run.log_params({"algorithm": "nearest-centroid", "rows": len(rows)})
        model = centroids(rows)
        accuracy = sum(predict(model, x) == y for x, y in rows) / len(rows)
        run.log_metric("accuracy", accuracy)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "centroids.json").write_text(json.dumps(model, sort_keys=True))
        run.log_model("centroid-classifier", args.out)
    version = run.models["centroid-classifier"]
    print(f"run {run.name}: accuracy {accuracy:.3f}; centroid-classifier version {version['version']} "
          f"{version['digest']} scan {version['scanVerdict']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
