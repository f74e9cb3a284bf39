"""What the tests need from their environment: a real Rampart server and the rampart command.

RAMPART_URL and RAMPART_TOKEN (a server administrator's token) name the server; RAMPART_CLI the rampart command used
for keys, signatures and attestations. Without RAMPART_URL the tests are skipped with that reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import unittest
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import rampart  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
CLEAN_ONNX = REPO / "examples" / "models" / "clean" / "classifier.onnx"


def require_server() -> None:
    if not os.environ.get("RAMPART_URL") or not os.environ.get("RAMPART_TOKEN"):
        raise unittest.SkipTest("RAMPART_URL and RAMPART_TOKEN must name a running Rampart server (the JUnit "
                                "PythonClientTest starts one)")


class Workspace:
    """A fresh project with a contributor, an approver and an admission service account, and a trusted key."""

    def __init__(self) -> None:
        require_server()
        self.admin = rampart.Client()
        self.dir = Path(tempfile.mkdtemp(prefix="rampart-py-"))
        self.project = "py-" + uuid.uuid4().hex[:8]
        self.admin.create_project(self.project)
        self.contributor = self._member("contributor")
        self.approver = self._member("approver")
        suffix = uuid.uuid4().hex[:6]
        self.admin.create_principal("deployer-" + suffix, kind="service")
        self.admin.set_member(self.project, "deployer-" + suffix, "approver")
        token = self.admin.issue_token("deployer-" + suffix, scopes="admission", ttl_days=1)["token"]
        self.deployer = rampart.Client(token=token)
        self.key, self.public_key = rampart.keygen(self.dir / "release.pem")
        self.admin.trust_key(self.project, "release", self.public_key.read_text(), ["provenance", "dataset-check"])
        self.signer = rampart.CliSigner(self.key)

    def _member(self, role: str) -> rampart.Client:
        name = f"{role}-{uuid.uuid4().hex[:6]}"
        self.admin.create_principal(name)
        self.admin.set_member(self.project, name, role)
        return rampart.Client(token=self.admin.issue_token(name, ttl_days=1)["token"])

    def model(self, name: str, config: str = '{"labels": 3}') -> Path:
        d = self.dir / name
        d.mkdir()
        shutil.copy(CLEAN_ONNX, d / "classifier.onnx")
        (d / "config.json").write_text(config)
        return d

    def dataset(self, name: str, rows: str = "x,label\n1,0\n2,1\n") -> Path:
        d = self.dir / name
        d.mkdir()
        (d / "train.csv").write_text(rows)
        return d

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
