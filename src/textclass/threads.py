"""Thread caps for worker processes (search ``--jobs``, Dask workers): several processes
on one machine each get a share of its cores instead of all of them."""

from __future__ import annotations

import os


def limit_threads(threads: int) -> None:
    """Cap every numeric library's threads in this process (before they are imported)."""
    for var in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
    ):
        os.environ[var] = str(threads)
    os.environ["TF_NUM_INTEROP_THREADS"] = "1"
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "")
        + f" --xla_cpu_multi_thread_eigen={'true' if threads > 1 else 'false'}"
        + f" intra_op_parallelism_threads={threads}"
    ).strip()
    try:  # torch reads no environment variable for this
        import importlib.util

        if os.environ.get("KERAS_BACKEND") == "torch" and importlib.util.find_spec("torch"):
            import torch

            torch.set_num_threads(threads)
            torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
