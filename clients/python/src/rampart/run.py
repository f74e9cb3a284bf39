"""``with rampart.run(...) as run:`` records a training run the way ``mlflow.start_run`` does, then registers it.

Inside the block the script declares what it read (datasets, registered at once by digest), its parameters and
metrics, and the models it wrote. When the block ends normally the run is registered with its inputs, parameters and
metrics, each model is signed and given provenance (when a signer is set), uploaded as a new version linked to the
run, and any attestations are submitted. When the block raises, nothing is registered or uploaded: a model from a
failed run never reaches the registry.
"""

from __future__ import annotations

import datetime
import math
import shutil
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Tuple, Type, Union

from .client import Client, Json
from .digest import PathLike, digest
from .errors import RampartError
from .signing import CliSigner, scratch_dir

Param = Union[str, int, float, bool]


class TrainingRun:
    """A run being recorded; see :func:`rampart.run`."""

    def __init__(self, client: Client, project: str, name: str, signer: Optional[CliSigner],
                 code_commit: Optional[str], code_repo: Optional[str]) -> None:
        self.client = client
        self.project = project
        self.name = name
        self.signer = signer
        self.code_commit = code_commit
        self.code_repo = code_repo
        self.inputs: List[Tuple[str, int, str]] = []
        self.parameters: Dict[str, Param] = {}
        self.metrics: Dict[str, float] = {}
        self.outputs: List[Tuple[str, Path]] = []
        self._attestations: List[Path] = []
        self.registered: Optional[Json] = None
        self.models: Dict[str, Json] = {}
        self._open = False

    # --- what the script records ----------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if not self._open:
            raise RampartError("the run is not open: record inside the 'with rampart.run(...)' block")

    def log_input(self, dataset: str, *, path: Optional[PathLike] = None, digest_: Optional[str] = None,
                  uri: Optional[str] = None) -> Json:
        """Declares a dataset the run reads: hashed from ``path`` (or given by ``digest_``) and registered now as a
        version of ``dataset`` unless that digest is one already. Returns the dataset version."""
        self._check_open()
        if (path is None) == (digest_ is None):
            raise RampartError("give either path= (hashed here) or digest_= (sha256:HEX)")
        d = digest(path) if path is not None else str(digest_)
        existing = self.client.dataset_version(self.project, dataset, d)
        version = existing if existing is not None else self.client.register_dataset(
            self.project, dataset, digest_=d, uri=uri)
        self.inputs.append((dataset, int(version["version"]), d))
        return version

    def log_param(self, key: str, value: Param) -> None:
        self._check_open()
        if not isinstance(value, (str, int, float, bool)):
            raise RampartError(f"parameter {key!r} must be a string, number or boolean, not {type(value).__name__}")
        self.parameters[key] = value

    def log_params(self, params: Mapping[str, Param]) -> None:
        for k, v in params.items():
            self.log_param(k, v)

    def log_metric(self, key: str, value: float) -> None:
        """Records a metric; a later value for the same key replaces the earlier one."""
        self._check_open()
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RampartError(f"metric {key!r} must be a finite number, not {value!r}")
        self.metrics[key] = float(value)

    def log_metrics(self, metrics: Mapping[str, float]) -> None:
        for k, v in metrics.items():
            self.log_metric(k, v)

    def log_model(self, model: str, path: PathLike) -> None:
        """Declares a model the run wrote; it is uploaded (signed, with provenance) when the block ends."""
        self._check_open()
        if not Path(path).exists():
            raise RampartError(f"{path} does not exist")
        self.outputs.append((model, Path(path)))

    def log_attestation(self, path: PathLike) -> None:
        """An attestation file (``rampart ... --attest KEY``) to submit after the models are uploaded."""
        self._check_open()
        self._attestations.append(Path(path))

    # --- the block ------------------------------------------------------------------------------------------------

    def __enter__(self) -> "TrainingRun":
        self._open = True
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self._open = False
        if exc_type is None:
            self._finish()

    def _finish(self) -> None:
        self.registered = self.client.register_run(
            self.project, self.name, inputs=[(d, v) for d, v, _ in self.inputs], parameters=self.parameters,
            metrics=self.metrics, code_commit=self.code_commit)
        work = scratch_dir()
        try:
            for i, (model, path) in enumerate(self.outputs):
                signature = provenance = None
                if self.signer is not None:
                    signature = self.signer.sign(path, work / f"{i}.sig")
                    provenance = self.signer.provenance(
                        path, work / f"{i}.provenance.json", datasets=[(d, dig) for d, _, dig in self.inputs],
                        parameters=self.parameters, code_commit=self.code_commit, code_repo=self.code_repo,
                        invocation_id=self.name)
                self.models[model] = self.client.upload_model(self.project, model, path, run=self.name,
                                                              signature=signature, provenance=provenance)
            for a in self._attestations:
                self.client.submit_attestation(self.project, a)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def run(project: str, name: Optional[str] = None, *, client: Optional[Client] = None,
        signer: Optional[CliSigner] = None, code_commit: Optional[str] = None,
        code_repo: Optional[str] = None) -> TrainingRun:
    """Starts recording a training run in ``project``; use as ``with rampart.run("iris") as run:``.

    ``name`` defaults to ``run-<UTC time>-<random>``; ``client`` to a :class:`Client` from ``RAMPART_URL`` and
    ``RAMPART_TOKEN``; with a ``signer`` each model is signed and given provenance before upload.
    """
    if name is None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        name = f"run-{stamp}-{uuid.uuid4().hex[:6]}"
    return TrainingRun(client or Client(), project, name, signer, code_commit, code_repo)
