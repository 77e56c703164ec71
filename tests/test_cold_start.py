"""What makes a cold ``textclass predict`` fast: JAX's persistent compilation cache
(configured from textclass's cache folder, reused by a later process), the console
script's quick exit (which must still deliver all of its output) and keras imported
without the extras a prediction never uses."""

import os
import subprocess
import sys
from pathlib import Path

from textclass import TextClassifier
from textclass.compilation_cache import MAX_BYTES, configure_environment


def test_the_cache_lives_under_textclass_cache_folder(tmp_path):
    env = {"TEXTCLASS_CACHE": str(tmp_path)}
    configure_environment(env)
    assert env["JAX_COMPILATION_CACHE_DIR"] == str(tmp_path / "xla")
    assert env["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] == "0"
    assert env["JAX_COMPILATION_CACHE_MAX_SIZE"] == str(MAX_BYTES)


def test_a_users_own_setting_wins_and_the_cache_can_be_turned_off(tmp_path):
    mine = {"TEXTCLASS_CACHE": str(tmp_path), "JAX_COMPILATION_CACHE_DIR": "/elsewhere"}
    configure_environment(mine)
    assert mine["JAX_COMPILATION_CACHE_DIR"] == "/elsewhere"
    assert "JAX_COMPILATION_CACHE_MAX_SIZE" not in mine
    off = {"TEXTCLASS_CACHE": str(tmp_path), "TEXTCLASS_COMPILE_CACHE": "0"}
    configure_environment(off)
    assert "JAX_COMPILATION_CACHE_DIR" not in off


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*-cache")} if folder.is_dir() else set()


def test_a_second_cold_predict_compiles_nothing(tmp_path):
    texts = ["good food", "bad food", "fine place", "awful place"] * 4
    run = tmp_path / "run"
    TextClassifier(model="embedding", epochs=1, random_state=0).fit(texts, [1, 0] * 8).save(run)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
    env |= {"TEXTCLASS_CACHE": str(tmp_path / "cache"), "KERAS_BACKEND": "jax"}
    script = Path(sys.executable).parent / "textclass"
    outputs, entries = [], []
    for _ in range(2):
        done = subprocess.run(
            [str(script), "predict", str(run), "good food", "awful place"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout)
        entries.append(_entries(tmp_path / "cache" / "xla"))
    # the quick exit (os._exit after the output) still delivers every line through a pipe
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 2
    assert entries[0], "the first process wrote its compiled functions to the cache"
    assert entries[1] == entries[0], "the second one found every function there"


LEAN = """
import sys
from textclass.runtimes import keras_loading
keras_loading.LEAN_IMPORT = True
keras = keras_loading.import_keras()
left = [n for n in sys.modules if n.startswith(keras_loading._TPU_KERNELS)]
extras = [n for n in ("sklearn", "matplotlib", "pandas") if n in sys.modules]
import numpy as np
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
model.predict_on_batch(np.zeros((1, 3)))  # keras works
import pandas  # and what was held back imports as usual afterwards
from jax.experimental.pallas.ops.tpu.splash_attention import splash_attention_kernel
print(left, extras, hasattr(splash_attention_kernel, "make_splash_mha"))
"""


def test_the_lean_keras_import_leaves_nothing_behind():
    done = subprocess.run([sys.executable, "-c", LEAN], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[]", "[]", "True"]
