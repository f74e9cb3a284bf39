"""The OpenSSF model-signing (OMS) ``files`` digest Rampart registers models and datasets under.

Each regular file is hashed with SHA-256; the root digest is SHA-256 over the raw file digests, ordered by the files'
'/'-separated relative names compared as UTF-8 bytes. A single file is the one resource named ``.``. Like Rampart,
``.git``, ``.gitignore``, ``.gitattributes`` and ``.github`` at the top level and the top-level ``model.sig`` are left
out, and a symbolic link anywhere is refused rather than followed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import List, Tuple, Union

DEFAULT_IGNORES = (".git", ".gitignore", ".gitattributes", ".github")
SIGNATURE_FILE = "model.sig"
_CHUNK = 1 << 20

PathLike = Union[str, "os.PathLike[str]"]


def _skip(rel: str) -> bool:
    top = rel.split("/", 1)[0]
    return top in DEFAULT_IGNORES or rel == SIGNATURE_FILE


def model_files(path: PathLike) -> List[Tuple[str, Path]]:
    """The files a digest covers: (OMS name, path) pairs in canonical order. Refuses symbolic links."""
    from .errors import UnsafePath

    root = Path(path)
    st = os.lstat(root)
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePath(f"{root} is a symbolic link; links are not followed")
    if stat.S_ISREG(st.st_mode):
        return [(".", root)]
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePath(f"{root} is neither a regular file nor a folder")
    out: List[Tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        keep = []
        for d in dirnames:
            rel = prefix + d
            if os.path.islink(here / d):
                raise UnsafePath(f"{rel} is a symbolic link; links are not followed")
            if not _skip(rel):
                keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            rel = prefix + f
            if _skip(rel):
                continue
            mode = os.lstat(here / f).st_mode
            if stat.S_ISLNK(mode):
                raise UnsafePath(f"{rel} is a symbolic link; links are not followed")
            if stat.S_ISREG(mode):
                out.append((rel, here / f))
    out.sort(key=lambda e: e[0].encode("utf-8"))
    return out


def file_sha256(path: PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(_CHUNK)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def digest(path: PathLike) -> str:
    """The OMS root digest of a model or dataset (file or folder) as ``sha256:HEX``, as Rampart computes it."""
    root = hashlib.sha256()
    for _, file in model_files(path):
        root.update(bytes.fromhex(file_sha256(file)))
    return "sha256:" + root.hexdigest()
