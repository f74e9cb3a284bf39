"""``with rampart.run(...)`` against a real server, and the training example run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import unittest
from pathlib import Path

from tests.server import Workspace, rampart

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "train.py"


class TrainingRunTest(unittest.TestCase):
    ws: Workspace

    @classmethod
    def setUpClass(cls) -> None:
        cls.ws = Workspace()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.ws.close()

    def test_the_block_registers_the_run_and_uploads_the_signed_model_with_provenance(self) -> None:
        ws = self.ws
        data = ws.dataset("run-data")
        model = ws.model("run-model")
        with rampart.run(ws.project, "recorded-1", client=ws.contributor, signer=ws.signer,
                         code_commit="0123abcd") as run:
            version = run.log_input("run-train", path=data)
            run.log_params({"lr": 0.01, "epochs": 3, "optimizer": "sgd"})
            run.log_metric("accuracy", 0.5)
            run.log_metric("accuracy", 0.97)
            run.log_model("recorded", model)
            self.assertIsNone(run.registered, "nothing is registered before the block ends")
        self.assertEqual(1, version["version"])
        recorded = ws.contributor.get_run(ws.project, "recorded-1")
        self.assertEqual(0.97, recorded["metrics"]["accuracy"])
        self.assertEqual("sgd", recorded["parameters"]["optimizer"])
        self.assertIn("run-train", str(recorded["inputs"]))
        uploaded = run.models["recorded"]
        self.assertEqual(rampart.digest(model), "sha256:" + uploaded["digest"])
        detail = ws.contributor.model_version(ws.project, "recorded", uploaded["version"])
        self.assertIn("recorded-1", str(ws.contributor.lineage(ws.project, "recorded", uploaded["version"])))
        self.assertTrue(detail["signature"]["verified"], detail["signature"])
        self.assertTrue(detail["provenance"]["verified"], detail["provenance"])

    def test_the_same_dataset_digest_is_reused_not_registered_twice(self) -> None:
        ws = self.ws
        data = ws.dataset("reused-data")
        with rampart.run(ws.project, "reuse-1", client=ws.contributor) as first:
            first.log_input("reused", path=data)
        with rampart.run(ws.project, "reuse-2", client=ws.contributor) as second:
            second.log_input("reused", path=data)
        self.assertEqual(first.inputs, second.inputs)
        self.assertEqual(1, sum(1 for d in ws.contributor.datasets(ws.project) if d["dataset"] == "reused"))

    def test_a_failed_block_registers_and_uploads_nothing(self) -> None:
        ws = self.ws
        model = ws.model("failed-model")
        with self.assertRaises(ZeroDivisionError):
            with rampart.run(ws.project, "failed-1", client=ws.contributor) as run:
                run.log_metric("loss", 1.0)
                run.log_model("failed", model)
                _ = 1 / 0
        with self.assertRaises(rampart.ApiError) as missing:
            ws.contributor.get_run(ws.project, "failed-1")
        self.assertEqual(404, missing.exception.status)
        self.assertNotIn("failed", str(ws.contributor.models(ws.project)))

    def test_values_the_server_could_not_keep_are_refused_in_the_script(self) -> None:
        with rampart.run(self.ws.project, "refused-1", client=self.ws.contributor) as run:
            with self.assertRaises(rampart.RampartError):
                run.log_metric("loss", float("nan"))
            with self.assertRaises(rampart.RampartError):
                run.log_param("layers", [1, 2])  # type: ignore[arg-type]
        with self.assertRaises(rampart.RampartError):
            run.log_metric("late", 1.0)

    def test_the_training_example_runs_end_to_end(self) -> None:
        ws = self.ws
        data = ws.dataset("example-data", "x,y,label\n0,0,a\n0,1,a\n5,5,b\n6,5,b\n")
        token = ws.contributor._token  # the example reads RAMPART_TOKEN like any script
        env = dict(os.environ, RAMPART_TOKEN=token,
                   PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
        done = subprocess.run([sys.executable, str(EXAMPLE), ws.project, str(data), str(ws.dir / "centroids"),
                               "--key", str(ws.key), "--run-name", "example-1", "--commit", "feedbeef"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        out = done.stdout.decode()
        self.assertEqual(0, done.returncode, out)
        self.assertIn("accuracy 1.000", out)
        self.assertIn("centroid-classifier version 1", out)
        lineage = ws.contributor.lineage(ws.project, "centroid-classifier", 1)
        self.assertIn("training-data", str(lineage))
        self.assertIn("example-1", str(lineage))
        promotion = ws.contributor.promote(ws.project, "centroid-classifier", 1, "staging")
        self.assertEqual("pending", promotion["status"], promotion)


if __name__ == "__main__":
    unittest.main()
