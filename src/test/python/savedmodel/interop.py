"""SavedModel round trips between jkeras and TensorFlow 2.21 / Keras 3, in one Python process.

Usage: interop.py JAVA_MANIFEST PY_DIR

1. Runs every SavedModel that Java exported (listed in JAVA_MANIFEST, a JSON object
   {name: {"dir": ..., "inputs": {key: npy path}}}) through
   tf.saved_model.load(dir).signatures["serving_default"] and through
   keras.layers.TFSMLayer(dir, call_endpoint="serving_default"), and writes the outputs to
   <dir>/../<name>.sig.<output key>.npy and <name>.tfsm.<output key>.npy.
2. Builds small Keras models, trains them one epoch (so that tf.saved_model.save also writes
   optimizer state), exports each with model.export and tf.saved_model.save under PY_DIR and
   writes the inputs and Keras's predictions next to them.

Prints one JSON report on the last line of stdout: what Python saw in Java's SavedModels and what
it wrote.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

# src/test/python/savedmodel/interop.py -> the repository root, which holds python-interop/.
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python-interop"))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from jkeras_fm import FMLayer  # noqa: E402


def spec_of(t):
    return {"dtype": t.dtype.name, "shape": [-1 if d is None else d for d in t.shape.as_list()]}


def run_java_exports(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    seen = {}
    for name, entry in manifest.items():
        d = entry["dir"]
        out_dir = os.path.dirname(d)
        inputs = {k: np.load(p) for k, p in entry["inputs"].items()}
        loaded = tf.saved_model.load(d)
        fn = loaded.signatures["serving_default"]
        outs = fn(**{k: tf.constant(v) for k, v in inputs.items()})
        for k, v in outs.items():
            np.save(os.path.join(out_dir, f"{name}.sig.{k}.npy"), v.numpy())
        layer = keras.layers.TFSMLayer(d, call_endpoint="serving_default")
        # TFSMLayer passes its first argument positionally and the rest as keywords; a signature
        # with several inputs binds them by name (a dict as first argument does not bind).
        keys = list(inputs)
        touts = layer(inputs[keys[0]], **{k: inputs[k] for k in keys[1:]})
        for k, v in touts.items():
            np.save(os.path.join(out_dir, f"{name}.tfsm.{k}.npy"), np.asarray(v))
        _, kwargs = fn.structured_input_signature
        seen[name] = {
            "signatures": sorted(loaded.signatures.keys()),
            "inputs": {k: spec_of(s) for k, s in kwargs.items()},
            "outputs": {k: spec_of(s) for k, s in fn.structured_outputs.items()},
            "variables": sorted(n for n, _ in tf.train.list_variables(
                os.path.join(d, "variables", "variables"))),
        }
    return seen


def trained(model, xs, seed):
    rng = np.random.default_rng(seed)
    y = rng.random((len(xs), 1)).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    model.fit(xs, y, epochs=1, batch_size=8, verbose=0)
    return model


def write_python_exports(py_dir):
    keras.utils.set_random_seed(7)
    rng = np.random.default_rng(11)
    made = {}

    inp = keras.Input((4,), name="features")
    h = keras.layers.Dense(5, activation="tanh", name="hidden")(inp)
    out = keras.layers.Dense(1, name="score")(h)
    x_dense = rng.standard_normal((16, 4)).astype("float32")
    dense = trained(keras.Model(inp, out, name="dense_model"), x_dense, 1)

    inp = keras.Input((6,), name="x")
    fm = FMLayer(4, 3, name="fm")(inp)
    out = keras.layers.Dense(1, activation="sigmoid", name="prob")(fm)
    x_fm = rng.random((16, 6)).astype("float32")
    fm_model = trained(keras.Model(inp, out, name="fm_model"), x_fm, 2)

    inp = keras.Input((20,), dtype="int32", name="ids")
    e = keras.layers.Embedding(50, 8, name="emb")(inp)
    g = keras.layers.GlobalAveragePooling1D(name="gap")(e)
    out = keras.layers.Dense(2, activation="softmax", name="probs")(g)
    x_ids = rng.integers(0, 50, (16, 20)).astype("int32")
    ids_model = trained(keras.Model(inp, out, name="ids_model"), x_ids, 3)

    for name, model, x, ways in [
        ("dense", dense, x_dense, ("export", "tfsave")),
        ("fm", fm_model, x_fm, ("export", "tfsave")),
        ("ids", ids_model, x_ids, ("export",)),
    ]:
        np.save(os.path.join(py_dir, f"{name}.x.npy"), x)
        np.save(os.path.join(py_dir, f"{name}.pred.npy"), model.predict(x, verbose=0))
        for way in ways:
            d = os.path.join(py_dir, f"{name}_{way}")
            if way == "export":
                model.export(d, format="tf_saved_model", verbose=False)
            else:
                tf.saved_model.save(model, d)
            made[f"{name}_{way}"] = d
    return made


def main():
    manifest, py_dir = sys.argv[1], sys.argv[2]
    report = {"java": run_java_exports(manifest), "python": write_python_exports(py_dir),
              "tensorflow": tf.__version__, "keras": keras.__version__}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
