"""The REST client: one method per Rampart API call, standard library only (urllib, json, ssl)."""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from .digest import PathLike, digest, model_files
from .errors import ApiError, ConnectionFailed, RampartError

Json = Dict[str, Any]


def _bare(digest_: str) -> str:
    """The hex of a digest, with or without its ``sha256:`` prefix (the server answers with bare hex)."""
    return digest_[len("sha256:"):] if digest_.startswith("sha256:") else digest_


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


class _Multipart:
    """A multipart/form-data body streamed from disk, with its length known in advance (no chunked encoding)."""

    def __init__(self) -> None:
        self.boundary = "rampart-" + uuid.uuid4().hex
        self._parts: List[Tuple[bytes, Union[bytes, Path]]] = []

    def field(self, name: str, value: str) -> None:
        head = f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        self._parts.append((head, value.encode("utf-8")))

    def file(self, name: str, filename: str, path: Path) -> None:
        if any(c in filename for c in '"\r\n\0'):
            raise RampartError(f"file name {filename!r} cannot be sent in a multipart header")
        head = (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode("utf-8")
        self._parts.append((head, path))

    def _tail(self) -> bytes:
        return f"--{self.boundary}--\r\n".encode()

    def length(self) -> int:
        n = len(self._tail())
        for head, source in self._parts:
            size = os.path.getsize(source) if isinstance(source, Path) else len(source)
            n += len(head) + size + 2
        return n

    def chunks(self) -> Iterator[bytes]:
        for head, source in self._parts:
            yield head
            if isinstance(source, Path):
                with open(source, "rb") as f:
                    while True:
                        block = f.read(1 << 20)
                        if not block:
                            break
                        yield block
            else:
                yield source
            yield b"\r\n"
        yield self._tail()

    @property
    def content_type(self) -> str:
        return "multipart/form-data; boundary=" + self.boundary


class Client:
    """A connection to a Rampart server.

    ``url`` and ``token`` default to the ``RAMPART_URL`` and ``RAMPART_TOKEN`` environment variables, as for the
    ``rampart`` command. ``cafile`` trusts a private CA (a server started with ``--tls-cert``); certificates are
    always verified.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        token: Optional[str] = None,
        *,
        timeout: float = 300.0,
        cafile: Optional[PathLike] = None,
    ) -> None:
        url = url or os.environ.get("RAMPART_URL")
        token = token or os.environ.get("RAMPART_TOKEN")
        if not url:
            raise RampartError("no server URL: pass url= or set RAMPART_URL")
        if not token:
            raise RampartError("no API token: pass token= or set RAMPART_TOKEN")
        if not url.startswith(("http://", "https://")):
            raise RampartError(f"the server URL must start with http:// or https://, not {url!r}")
        self.url = url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self._ssl = ssl.create_default_context(cafile=os.fspath(cafile) if cafile else None)

    def __repr__(self) -> str:  # never print the token
        return f"Client({self.url!r})"

    # --- transport ------------------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, body: Any = None, *, raw: Optional[bytes] = None,
                 multipart: Optional[_Multipart] = None, accept_text: bool = False) -> Any:
        headers = {"Authorization": "Bearer " + self._token, "Accept": "application/json"}
        data: Any = None
        if multipart is not None:
            headers["Content-Type"] = multipart.content_type
            headers["Content-Length"] = str(multipart.length())
            data = multipart.chunks()
        elif raw is not None:
            headers["Content-Type"] = "application/json"
            data = raw
        elif body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        elif method in ("POST", "PUT"):
            data = b""
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self._ssl) as resp:
                payload = resp.read()
                if not payload:
                    return None
                if accept_text or not resp.headers.get("Content-Type", "").startswith(("application/json",
                                                                                       "application/vnd")):
                    return payload.decode("utf-8")
                return json.loads(payload)
        except urllib.error.HTTPError as e:
            payload = e.read()
            code, message = "http_" + str(e.code), payload.decode("utf-8", "replace")[:500]
            try:
                err = json.loads(payload)["error"]
                code, message = str(err["code"]), str(err["message"])
            except (ValueError, KeyError, TypeError):
                pass
            raise ApiError(e.code, code, message) from None
        except urllib.error.URLError as e:
            raise ConnectionFailed(f"cannot reach {self.url}: {e.reason}") from None

    def _project(self, project: str) -> str:
        return "/api/v1/projects/" + _quote(project)

    def _obj(self, method: str, path: str, body: Any = None, **kw: Any) -> Json:
        answer = self._request(method, path, body, **kw)
        if not isinstance(answer, dict):
            raise RampartError(f"{method} {path}: expected a JSON object from the server, got {type(answer).__name__}")
        return answer

    def _list(self, method: str, path: str) -> List[Json]:
        answer = self._request(method, path)
        if not isinstance(answer, list):
            raise RampartError(f"{method} {path}: expected a JSON list from the server, got {type(answer).__name__}")
        return answer

    def _text(self, path: str) -> str:
        answer = self._request("GET", path, accept_text=True)
        if not isinstance(answer, str):
            raise RampartError(f"GET {path}: expected text from the server")
        return answer

    # --- identity and administration ------------------------------------------------------------------------------

    def health(self) -> Json:
        return self._obj("GET", "/api/v1/health")

    def me(self) -> Json:
        """Who the token belongs to: name, kind, admin, scopes."""
        return self._obj("GET", "/api/v1/me")

    def projects(self) -> List[Json]:
        return self._list("GET", "/api/v1/projects")

    def create_project(self, name: str) -> Json:
        """Creates a project with its dev, staging and production environments (server administrators only)."""
        return self._obj("POST", "/api/v1/projects", {"name": name})

    def create_principal(self, name: str, kind: str = "user", admin: bool = False) -> Json:
        """Creates a user or service account (``kind`` is ``user`` or ``service``)."""
        return self._obj("POST", "/api/v1/principals", {"name": name, "kind": kind, "admin": admin})

    def set_member(self, project: str, principal: str, role: str) -> None:
        """Gives a principal a role in a project: viewer, contributor, approver or admin."""
        self._request("PUT", f"{self._project(project)}/members/{_quote(principal)}", {"role": role})

    def issue_token(self, principal: Optional[str] = None, scopes: str = "read,write", ttl_days: int = 30) -> Json:
        """Issues a token (shown once): for yourself by default, or for ``principal`` as an administrator."""
        body: Json = {"scopes": scopes, "ttlDays": ttl_days}
        if principal is not None:
            body["principal"] = principal
        return self._obj("POST", "/api/v1/tokens", body)

    def trust_key(self, project: str, name: str, public_key_pem: str, predicate_types: Sequence[str] = ()) -> Json:
        """Trusts a public key for model signatures and for attesting the listed predicate types."""
        return self._obj("POST", f"{self._project(project)}/keys",
                             {"name": name, "publicKeyPem": public_key_pem, "predicateTypes": list(predicate_types)})

    def keys(self, project: str) -> Json:
        return self._obj("GET", f"{self._project(project)}/keys")

    # --- datasets and runs ----------------------------------------------------------------------------------------

    def register_dataset(self, project: str, dataset: str, *, path: Optional[PathLike] = None,
                         digest_: Optional[str] = None, uri: Optional[str] = None) -> Json:
        """Registers a dataset version by its digest: hashed here from ``path``, or given as ``digest_``."""
        if (path is None) == (digest_ is None):
            raise RampartError("give either path= (hashed here) or digest_= (sha256:HEX)")
        body: Json = {"digest": digest(path) if path is not None else digest_}
        if uri is not None:
            body["uri"] = uri
        return self._obj("POST", f"{self._project(project)}/datasets/{_quote(dataset)}/versions", body)

    def datasets(self, project: str) -> List[Json]:
        return self._list("GET", f"{self._project(project)}/datasets")

    def dataset_version(self, project: str, dataset: str, digest_: str) -> Optional[Json]:
        """The registered version of ``dataset`` with this digest, if any."""
        wanted = _bare(digest_)
        for d in self.datasets(project):
            if d["dataset"] == dataset and _bare(d["digest"]) == wanted:
                return d
        return None

    def affected(self, project: str, dataset: str, version: int) -> Json:
        """Runs, model versions and deployments that used a dataset version."""
        return self._obj("GET", f"{self._project(project)}/datasets/{_quote(dataset)}/versions/{int(version)}/affected")

    def register_run(self, project: str, name: str, *, inputs: Iterable[Tuple[str, int]] = (),
                     parameters: Optional[Mapping[str, Any]] = None, metrics: Optional[Mapping[str, Any]] = None,
                     code_commit: Optional[str] = None) -> Json:
        """Registers a training run with the dataset versions it read (``(dataset, version)`` pairs)."""
        body: Json = {"name": name, "inputs": [{"dataset": d, "version": int(v)} for d, v in inputs],
                      "parameters": dict(parameters or {}), "metrics": dict(metrics or {})}
        if code_commit is not None:
            body["codeCommit"] = code_commit
        return self._obj("POST", f"{self._project(project)}/runs", body)

    def get_run(self, project: str, name: str) -> Json:
        return self._obj("GET", f"{self._project(project)}/runs/{_quote(name)}")

    # --- models ---------------------------------------------------------------------------------------------------

    def upload_model(self, project: str, model: str, path: PathLike, *, run: Optional[str] = None,
                     signature: Optional[PathLike] = None, provenance: Optional[PathLike] = None) -> Json:
        """Uploads a model (file or folder) as a new version; the server scans and verifies it, never loads it.

        The files sent are exactly those the digest covers, so the version's digest equals :func:`rampart.digest`.
        ``signature`` is a bundle from ``rampart sign``; ``provenance`` one from ``rampart provenance create``.
        """
        root = Path(path)
        body = _Multipart()
        for name, file in model_files(root):
            body.file("file", root.name if name == "." else name, path=file)
        if signature is not None:
            body.file("signature", "model.sig", path=Path(signature))
        if provenance is not None:
            body.file("provenance", "provenance.json", path=Path(provenance))
        if run is not None:
            body.field("run", run)
        return self._obj("POST", f"{self._project(project)}/models/{_quote(model)}/versions", multipart=body)

    def models(self, project: str) -> List[Json]:
        return self._list("GET", f"{self._project(project)}/models")

    def model_version(self, project: str, model: str, version: int) -> Json:
        """A model version with its scan, signature and provenance reports."""
        return self._obj("GET", f"{self._project(project)}/models/{_quote(model)}/versions/{int(version)}")

    def lineage(self, project: str, model: str, version: int) -> Json:
        """The datasets and run that produced a version, and where it is deployed."""
        return self._obj("GET", f"{self._project(project)}/models/{_quote(model)}/versions/{int(version)}/lineage")

    def bom(self, project: str, model: str, version: int) -> Json:
        """The CycloneDX 1.6 AI-BOM of a version."""
        return self._obj("GET", f"{self._project(project)}/models/{_quote(model)}/versions/{int(version)}/bom")

    # --- attestations and evaluations -----------------------------------------------------------------------------

    def submit_attestation(self, project: str, attestation: Union[PathLike, bytes]) -> Json:
        """Submits a signed attestation (the bundle ``rampart ... --attest KEY`` writes); the server verifies it
        against the project's trust policy and keeps it."""
        raw = attestation if isinstance(attestation, bytes) else Path(attestation).read_bytes()
        return self._obj("POST", f"{self._project(project)}/attestations", raw=raw)

    def attestations(self, project: str, digest_: str) -> Any:
        """Every fact recorded about a digest, each verified again against today's trust policy."""
        return self._request("GET", f"{self._project(project)}/attestations/{_quote(digest_)}")

    def add_evaluation(self, project: str, model: str, version: int, *, attestation: Optional[PathLike] = None,
                       name: Optional[str] = None, result: Optional[Mapping[str, Any]] = None) -> Json:
        """Records an evaluation: a signed attestation file, or an unsigned ``name``/``result`` claim (which can
        block a gate but never pass one)."""
        path = f"{self._project(project)}/models/{_quote(model)}/versions/{int(version)}/evaluations"
        if (attestation is None) == (name is None):
            raise RampartError("give either attestation= (signed) or name= and result= (an unsigned claim)")
        if attestation is not None:
            return self._obj("POST", path, raw=Path(attestation).read_bytes())
        return self._obj("POST", path, {"name": name, "result": dict(result or {})})

    # --- promotion and admission ----------------------------------------------------------------------------------

    def promote(self, project: str, model: str, version: int, environment: str) -> Json:
        """Requests a promotion; the environment's gate decides (``status``: deployed, pending or blocked)."""
        return self._obj("POST", f"{self._project(project)}/promotions",
                             {"model": model, "version": int(version), "environment": environment})

    def promotion(self, project: str, promotion_id: int) -> Json:
        return self._obj("GET", f"{self._project(project)}/promotions/{int(promotion_id)}")

    def approve(self, project: str, promotion_id: int, comment: Optional[str] = None) -> Json:
        """Approves a pending promotion (whoever requested it cannot approve it)."""
        return self._obj("POST", f"{self._project(project)}/promotions/{int(promotion_id)}/approve",
                             {} if comment is None else {"comment": comment})

    def reject(self, project: str, promotion_id: int, comment: Optional[str] = None) -> Json:
        return self._obj("POST", f"{self._project(project)}/promotions/{int(promotion_id)}/reject",
                             {} if comment is None else {"comment": comment})

    def environment(self, project: str, environment: str) -> Json:
        return self._obj("GET", f"{self._project(project)}/environments/{_quote(environment)}")

    def admit(self, project: str, environment: str, *, digest_: Optional[str] = None,
              path: Optional[PathLike] = None) -> Json:
        """May this model be loaded in ``environment``? Give the digest, or the model on disk (hashed here).

        Returns the decision (``allowed`` true or false, with the reason); needs a token with the admission scope.
        """
        if (path is None) == (digest_ is None):
            raise RampartError("give either path= (hashed here) or digest_= (sha256:HEX)")
        return self._obj("POST", f"{self._project(project)}/environments/{_quote(environment)}/admission",
                             {"digest": digest(path) if path is not None else digest_})

    # --- audit ----------------------------------------------------------------------------------------------------

    def audit_checkpoint(self) -> str:
        """The latest signed checkpoint of the audit log (text)."""
        return self._text("/api/v1/audit/checkpoint")

    def audit_verify(self) -> Json:
        """Recomputes the audit log against its signed checkpoints (server administrators only)."""
        return self._obj("GET", "/api/v1/audit/verify")
