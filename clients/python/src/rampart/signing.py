"""Signing through the ``rampart`` command: the private key is read by Rampart's own signer, never by Python.

The standard library has no elliptic-curve signatures, and a second implementation of the bundle format would be a
second thing to trust; so the client asks the ``rampart`` command to sign, exactly as a release engineer would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple

from .digest import PathLike
from .errors import SigningFailed


class CliSigner:
    """Signs models and writes provenance with ``rampart sign`` and ``rampart provenance create``.

    ``key`` is an EC private key from ``rampart keygen``; ``cli`` the ``rampart`` command (default: ``RAMPART_CLI``,
    then ``rampart`` on the PATH). ``builder_id`` names the training system in provenance.
    """

    def __init__(self, key: PathLike, *, cli: Optional[str] = None,
                 builder_id: str = "https://rampart.dev/python-client", timeout: float = 600.0) -> None:
        self.key = Path(key)
        self.cli = cli or os.environ.get("RAMPART_CLI") or shutil.which("rampart") or "rampart"
        self.builder_id = builder_id
        self.timeout = timeout

    def _run(self, args: Sequence[str]) -> str:
        try:
            done = subprocess.run([self.cli, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=self.timeout, check=False)
        except FileNotFoundError:
            raise SigningFailed(f"the rampart command was not found ({self.cli}); set RAMPART_CLI or pass cli=") from None
        except subprocess.TimeoutExpired:
            raise SigningFailed(f"rampart {args[0]} did not finish within {self.timeout:.0f} s") from None
        out = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            raise SigningFailed(f"rampart {args[0]} failed (exit {done.returncode})", out)
        return out

    def sign(self, model: PathLike, out: PathLike) -> Path:
        """Writes a signature bundle for the model (file or folder) to ``out``."""
        self._run(["sign", os.fspath(model), "--key", os.fspath(self.key), "--signature", os.fspath(out)])
        return Path(out)

    def provenance(self, model: PathLike, out: PathLike, *, datasets: Iterable[Tuple[str, str]] = (),
                   parameters: Optional[Mapping[str, object]] = None, code_commit: Optional[str] = None,
                   code_repo: Optional[str] = None, invocation_id: Optional[str] = None) -> Path:
        """Writes signed SLSA provenance tying the model to its datasets (``(name, sha256:HEX)`` pairs) and code."""
        args: List[str] = ["provenance", "create", os.fspath(model), "--key", os.fspath(self.key),
                           "--builder-id", self.builder_id, "--output", os.fspath(out)]
        for name, dig in datasets:
            args += ["--dataset-digest", f"{name}={dig}"]
        for k, v in (parameters or {}).items():
            args += ["--param", f"{k}={v}"]
        if code_commit:
            args += ["--code-commit", code_commit]
        if code_repo:
            args += ["--code-repo", code_repo]
        if invocation_id:
            args += ["--invocation-id", invocation_id]
        self._run(args)
        return Path(out)

    def run_command(self, *args: str) -> str:
        """Runs another ``rampart`` command (``keygen``, ``data check ... --attest KEY``) and returns its output."""
        return self._run(list(args))


def keygen(out: PathLike, *, cli: Optional[str] = None) -> Tuple[Path, Path]:
    """Creates a key pair with ``rampart keygen``; returns (private key, public key)."""
    signer = CliSigner(out, cli=cli)
    signer._run(["keygen", "--out", os.fspath(out)])
    p = Path(out)
    base = p.name[:-4] if p.name.endswith(".pem") else p.name
    return p, p.with_name(base + ".pub.pem")


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="rampart-"))
