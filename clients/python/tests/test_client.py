"""The client against a real Rampart server: every call reaches the server's REST API, nothing is mocked."""

from __future__ import annotations

import os
import unittest

from tests.server import Workspace, rampart


class ClientTest(unittest.TestCase):
    ws: Workspace

    @classmethod
    def setUpClass(cls) -> None:
        cls.ws = Workspace()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.ws.close()

    def test_the_token_says_who_it_belongs_to(self) -> None:
        me = self.ws.admin.me()
        self.assertTrue(me["admin"])
        self.assertEqual("ok", self.ws.admin.health()["status"])

    def test_an_uploaded_version_has_the_digest_the_client_computes(self) -> None:
        model = self.ws.model("digest-check")
        version = self.ws.contributor.upload_model(self.ws.project, "digest-check", model)
        self.assertEqual(rampart.digest(model), "sha256:" + version["digest"])
        self.assertEqual(1, version["version"])
        self.assertEqual("clean", version["scanVerdict"])

    def test_a_single_file_digest_is_the_oms_resource_named_dot(self) -> None:
        model = self.ws.model("single")
        version = self.ws.contributor.upload_model(self.ws.project, "single-file", model / "classifier.onnx")
        self.assertEqual(rampart.digest(model / "classifier.onnx"), "sha256:" + version["digest"])

    def test_signed_version_is_promoted_approved_and_admitted_and_nothing_else_is(self) -> None:
        ws = self.ws
        data = ws.dataset("lifecycle-data")
        ds = ws.contributor.register_dataset(ws.project, "lifecycle-train", path=data, uri="s3://bucket/train")
        self.assertEqual(rampart.digest(data), "sha256:" + ds["digest"])
        ws.contributor.register_run(ws.project, "lifecycle-run", inputs=[("lifecycle-train", ds["version"])],
                                    parameters={"lr": 0.1}, metrics={"accuracy": 0.9}, code_commit="abcdef1")
        model = ws.model("lifecycle-model")
        sig = ws.signer.sign(model, ws.dir / "lifecycle.sig")
        version = ws.contributor.upload_model(ws.project, "lifecycle", model, run="lifecycle-run", signature=sig)
        promotion = ws.contributor.promote(ws.project, "lifecycle", version["version"], "staging")
        self.assertEqual("pending", promotion["status"], promotion)
        with self.assertRaises(rampart.ApiError) as own:
            ws.contributor.approve(ws.project, promotion["id"])
        self.assertEqual(403, own.exception.status)
        approved = ws.approver.approve(ws.project, promotion["id"], comment="looks right")
        self.assertEqual("deployed", approved["status"], approved)
        allowed = ws.deployer.admit(ws.project, "staging", path=model)
        self.assertTrue(allowed["allowed"], allowed)
        denied = ws.deployer.admit(ws.project, "staging", digest_="sha256:" + "b" * 64)
        self.assertFalse(denied["allowed"])
        lineage = ws.contributor.lineage(ws.project, "lifecycle", version["version"])
        self.assertIn("lifecycle-train", str(lineage))
        self.assertIn("lifecycle-run", str(lineage))
        self.assertIn("staging", str(lineage))
        affected = ws.contributor.affected(ws.project, "lifecycle-train", ds["version"])
        self.assertIn("lifecycle", str(affected))
        self.assertEqual("CycloneDX", ws.contributor.bom(ws.project, "lifecycle", version["version"])["bomFormat"])

    def test_an_unsigned_version_is_blocked_by_the_staging_gate(self) -> None:
        ws = self.ws
        version = ws.contributor.upload_model(ws.project, "unsigned", ws.model("unsigned"))
        blocked = ws.contributor.promote(ws.project, "unsigned", version["version"], "staging")
        self.assertEqual("blocked", blocked["status"], blocked)
        self.assertIn("signature-verified", str(blocked))

    def test_an_attestation_written_by_the_cli_is_verified_and_kept(self) -> None:
        ws = self.ws
        rows = [f"{i % 10},{(i * 7) % 10},0\n" for i in range(60)] + [f"{100 + i % 10},{100 + (i * 7) % 10},1\n"
                                                                     for i in range(60)]
        data = ws.dataset("attested-data", "a,b,label\n" + "".join(rows))
        ds = ws.contributor.register_dataset(ws.project, "attested", path=data)
        out = ws.dir / "attested.intoto.json"
        ws.signer.run_command("data", "check", str(data / "train.csv"), "--label", "label", "--attest", str(ws.key),
                              "--attest-subject", str(data), "--attestation", str(out))
        submitted = ws.contributor.submit_attestation(ws.project, out)
        self.assertIn(ds["digest"][len("sha256:"):],
                      str(submitted))
        facts = ws.contributor.attestations(ws.project, ds["digest"])
        self.assertIn("dataset-check", str(facts))

    def test_errors_carry_the_servers_code(self) -> None:
        with self.assertRaises(rampart.ApiError) as forbidden:
            self.ws.contributor.create_project("not-allowed")
        self.assertEqual((403, "forbidden"), (forbidden.exception.status, forbidden.exception.code))
        with self.assertRaises(rampart.ApiError) as missing:
            self.ws.contributor.model_version(self.ws.project, "no-such-model", 1)
        self.assertEqual(404, missing.exception.status)
        with self.assertRaises(rampart.ApiError) as unauthenticated:
            rampart.Client(token="rmp_not-a-token").me()
        self.assertEqual(401, unauthenticated.exception.status)
        with self.assertRaises(rampart.ConnectionFailed):
            rampart.Client("http://127.0.0.1:9", token="x", timeout=5).me()

    def test_a_symbolic_link_is_refused_before_anything_is_sent(self) -> None:
        model = self.ws.model("linked")
        os.symlink("/etc/passwd", model / "passwd")
        with self.assertRaises(rampart.UnsafePath):
            self.ws.contributor.upload_model(self.ws.project, "linked", model)
        self.assertNotIn("linked", str(self.ws.contributor.models(self.ws.project)))

    def test_the_token_is_not_in_the_clients_repr(self) -> None:
        client = rampart.Client(token="rmp_secret-value")
        self.assertNotIn("secret", repr(client))


if __name__ == "__main__":
    unittest.main()
