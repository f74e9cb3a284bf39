"""Python client for Rampart: register datasets and runs, upload and sign models, promote, approve, admit, and read
lineage, against a Rampart server's REST API. Standard library only.

>>> import rampart
>>> client = rampart.Client("http://127.0.0.1:8080", token)          # doctest: +SKIP
>>> with rampart.run("iris", client=client) as run:                   # doctest: +SKIP
...     run.log_input("iris-train", path="data/")
...     run.log_param("lr", 0.01)
...     run.log_metric("accuracy", 0.96)
...     run.log_model("iris-classifier", "out/model")
"""

from .client import Client
from .digest import digest, model_files
from .errors import ApiError, ConnectionFailed, RampartError, SigningFailed, UnsafePath
from .run import TrainingRun, run
from .signing import CliSigner, keygen

__all__ = [
    "ApiError",
    "CliSigner",
    "Client",
    "ConnectionFailed",
    "RampartError",
    "SigningFailed",
    "TrainingRun",
    "UnsafePath",
    "digest",
    "keygen",
    "model_files",
    "run",
]
__version__ = "0.1.0"
