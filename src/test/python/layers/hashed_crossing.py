"""Python Keras's side of HashedCrossingInteropTest: feature crosses of integer and string inputs.

Usage:
  hashed_crossing.py make DIR   one functional model per case (below): NAME.keras, its inputs
                                NAME.x0.npy, NAME.x1.npy, ... (NumPy <U text, int32 or int64) and
                                NAME.pred.npy (Keras's output as float32)
  hashed_crossing.py check DIR  loads what Java wrote: java_NAME.keras (NAME.keras loaded and
                                saved by jkeras) and jb_NAME.keras (built with jkeras's API, given
                                Python's weights) must predict NAME.pred.npy and hold NAME.keras's
                                layer configs

Every model names its HashedCrossing layer "cross". Any warning while loading fails.
"""
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

WORDS = np.array(["A", "B", "", "été", "日本", "a long category value", "101", "-7"])


def ints(rng, dtype, shape, low, high):
    return rng.integers(low, high, size=shape).astype(dtype)


def words(rng, shape):
    return WORDS[rng.integers(0, len(WORDS), size=shape)]


# name -> (list of (sample shape, dtype), layers after the inputs, input maker)
CASES = {
    "string_int32": (
        [((1,), "string"), ((1,), "int32")],
        lambda xs: L.HashedCrossing(5, name="cross")(xs),
        lambda rng: [words(rng, (8, 1)), ints(rng, "int32", (8, 1), -200, 200)]),
    "int64_int32_scalars_large": (
        [((), "int64"), ((), "int32")],
        lambda xs: L.HashedCrossing(2**20, name="cross")(xs),
        lambda rng: [ints(rng, "int64", (8,), -10**15, 10**15),
                     ints(rng, "int32", (8,), -2**31, 2**31 - 1)]),
    "strings_one_hot": (
        [((1,), "string"), ((1,), "string")],
        lambda xs: L.HashedCrossing(7, output_mode="one_hot", name="cross")(xs),
        lambda rng: [words(rng, (8, 1)), words(rng, (8, 1))]),
    "int32_dtype_to_embedding": (
        [((1,), "int64"), ((1,), "string")],
        lambda xs: L.Dense(2, name="dense")(L.Flatten(name="flatten")(
            L.Embedding(11, 3, name="embedding")(
                L.HashedCrossing(11, dtype="int32", name="cross")(xs)))),
        lambda rng: [ints(rng, "int64", (8, 1), 0, 5), words(rng, (8, 1))]),
    "scalars_one_hot": (
        [((), "int64"), ((), "string")],
        lambda xs: L.HashedCrossing(4, output_mode="one_hot", name="cross")(xs),
        lambda rng: [ints(rng, "int64", (8,), 0, 3), words(rng, (8,))]),
}


def build(name):
    specs, head, _ = CASES[name]
    xs = [keras.Input(shape, dtype=dtype, name=f"in{i}") for i, (shape, dtype) in enumerate(specs)]
    return keras.Model(xs, head(xs), name=name)


def run(model, xs):
    return np.asarray(model([tf.constant(x) for x in xs]), dtype=np.float32)


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return keras.saving.load_model(path)


def inputs(folder, name):
    return [np.load(os.path.join(folder, f"{name}.x{i}.npy")) for i in range(len(CASES[name][0]))]


def configs(model):
    out = {}
    for layer in model.layers:
        c = layer.get_config()
        if isinstance(c.get("dtype"), dict):
            c["dtype"].pop("shared_object_id", None)
        out[layer.name] = json.dumps(c, sort_keys=True)
    return out


def make(folder):
    for i, name in enumerate(CASES):
        keras.utils.set_random_seed(200 + i)
        model = build(name)
        xs = CASES[name][2](np.random.default_rng(i))
        model.save(os.path.join(folder, name + ".keras"))
        for j, x in enumerate(xs):
            np.save(os.path.join(folder, f"{name}.x{j}.npy"), x)
        np.save(os.path.join(folder, name + ".pred.npy"), run(model, xs))
    print("made", len(CASES), "models")


def check(folder):
    for name in CASES:
        xs = inputs(folder, name)
        expected = np.load(os.path.join(folder, name + ".pred.npy"))
        original = configs(load(os.path.join(folder, name + ".keras")))
        for prefix in ("java_", "jb_"):
            model = load(os.path.join(folder, prefix + name + ".keras"))
            actual = run(model, xs)
            diff = float(np.max(np.abs(expected - actual)))
            if expected.shape != actual.shape or diff > 1e-5:
                raise AssertionError(f"{prefix}{name}: predictions differ by {diff}")
            got = configs(model)
            for layer, config in original.items():
                if not layer.startswith("in") and got.get(layer) != config:
                    raise AssertionError(
                        f"{prefix}{name}: layer {layer} config {got.get(layer)}, expected {config}")
    print("all checks passed")


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
