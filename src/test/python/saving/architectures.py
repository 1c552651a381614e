"""Python twins of the Java models in KerasWeightsInteropTest, plus raw-array helpers.

Arrays travel between Java and Python as raw little-endian files (float32 `.f32`, int64 `.i64`),
which both sides read bit-exactly without a JSON or NumPy parser on the Java side.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

# Sample shapes (without the batch) of each model's inputs, in input order.
INPUT_SHAPES = {"functional": [(4,), (3,)], "sequential": [(6,)]}
# Sample shape of each model's output.
OUTPUT_SHAPES = {"functional": (1,), "sequential": (2,)}


def functional():
    """Two inputs, one Dense per tower, Concatenate, a weightless Activation, a Dense head."""
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    ha = keras.layers.Dense(5, activation="relu", name="tower_a")(a)
    hb = keras.layers.Dense(2, name="tower_b")(b)
    c = keras.layers.Concatenate(name="concat")([ha, hb])
    s = keras.layers.Activation("tanh", name="squash")(c)
    out = keras.layers.Dense(1, activation="sigmoid", name="score")(s)
    return keras.Model([a, b], out, name="two_towers")


def sequential():
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(4, activation="relu", name="hidden"),
            keras.layers.Dense(3, name="middle"),
            keras.layers.Dense(2, activation="softmax", name="probs"),
        ],
        name="stack",
    )


def build(arch):
    return {"functional": functional, "sequential": sequential}[arch]()


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def write_i64(path, array):
    np.ascontiguousarray(array, dtype="<i8").tofile(path)


def read_f32(path, shape):
    return np.fromfile(path, dtype="<f4").reshape(shape)


def dump_layer_weights(model, workdir):
    """Writes w_<layer>_<i>.f32 for every weight of every layer."""
    for layer in model.layers:
        for i, w in enumerate(layer.weights):
            write_f32(os.path.join(workdir, f"w_{layer.name}_{i}.f32"), w.numpy())
