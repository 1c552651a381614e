"""Two of issue 8's "done when" models, made and checked by real Python Keras 3.15.1.

  done_when_models.py make DIR    builds, trains briefly and saves NAME.keras, NAME.x.npy and
                                  NAME.pred.npy for each model in NAMES, with NAME.y.npy and
                                  NAME.summary.txt: Keras's summary of the trained model, whose
                                  "Optimizer params" line counts the int64 iteration as 8 bytes
  done_when_models.py check DIR   loads NAME_converted.keras (written by `jkeras convert`) and
                                  asserts its predictions equal NAME.pred.npy within 1e-5 and its
                                  weights (BatchNormalization's moving mean and variance too) equal
                                  those of NAME.keras

"bn_mlp" is an MLP with BatchNormalization; "add_multiply_reshape" is a functional model with
Add, Multiply and Reshape. Any warning while loading fails the script.
"""
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["COLUMNS"] = "80"

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

TOLERANCE = 1e-5


def bn_mlp():
    return keras.Sequential(
        [
            keras.Input((6,)),
            L.Dense(8, name="dense"),
            L.BatchNormalization(name="bn"),
            L.Activation("relu", name="relu"),
            L.Dense(8, use_bias=False, name="dense_2"),
            L.BatchNormalization(momentum=0.5, epsilon=1e-2, center=False, name="bn_2"),
            L.Dense(3, activation="softmax", name="probs"),
        ],
        name="bn_mlp",
    )


def add_multiply_reshape():
    x = keras.Input((12,), name="x")
    a = L.Dense(12, name="a")(x)
    b = L.Dense(12, activation="tanh", name="b")(x)
    s = L.Add(name="add")([a, b])
    p = L.Multiply(name="multiply")([s, x])
    r = L.Reshape((3, 4), name="reshape")(p)
    out = L.Dense(2, name="out")(r)
    return keras.Model(x, out, name="add_multiply_reshape")


NAMES = {"bn_mlp": bn_mlp, "add_multiply_reshape": add_multiply_reshape}


def make(folder):
    for i, (name, build) in enumerate(NAMES.items()):
        keras.utils.set_random_seed(200 + i)
        rng = np.random.default_rng(i)
        model = build()
        x = rng.normal(size=(16,) + model.input_shape[1:]).astype("float32")
        if name == "bn_mlp":
            x = x * 3 + 1  # moving statistics far from 0 and 1
            y = np.eye(3, dtype="float32")[rng.integers(0, 3, size=16)]
            model.compile(optimizer="adam", loss="categorical_crossentropy")
        else:
            y = rng.normal(size=(16,) + model.output_shape[1:]).astype("float32")
            model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=4, epochs=2, verbose=0)
        lines = []
        model.summary(print_fn=lambda s, **kw: lines.append(s))
        with open(os.path.join(folder, name + ".summary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        np.save(os.path.join(folder, name + ".y.npy"), y)
        model.save(os.path.join(folder, name + ".keras"))
        np.save(os.path.join(folder, name + ".x.npy"), x)
        np.save(os.path.join(folder, name + ".pred.npy"), model.predict(x, verbose=0))
    print("made", len(NAMES), "models")


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return keras.saving.load_model(path)


def check(folder):
    for name in NAMES:
        original = load(os.path.join(folder, name + ".keras"))
        converted = load(os.path.join(folder, name + "_converted.keras"))
        x = np.load(os.path.join(folder, name + ".x.npy"))
        expected = np.load(os.path.join(folder, name + ".pred.npy"))
        d = float(np.max(np.abs(converted.predict(x, verbose=0) - expected)))
        assert d <= TOLERANCE, (name, "predictions", d)
        assert len(original.weights) == len(converted.weights), name
        for w, c in zip(original.weights, converted.weights):
            assert w.path == c.path, (name, w.path, c.path)
            assert np.array_equal(np.asarray(w), np.asarray(c)), (name, w.path)
        if name == "bn_mlp":
            for bn in ("bn", "bn_2"):
                layer = converted.get_layer(bn)
                mean = np.asarray(layer.moving_mean)
                variance = np.asarray(layer.moving_variance)
                # Trained statistics: a reset to Keras's initial zeros and ones would fail here.
                assert np.max(np.abs(mean)) > 1e-3, (bn, "moving_mean", mean)
                assert np.max(np.abs(variance - 1)) > 1e-3, (bn, "moving_variance", variance)
                print(name, bn, "moving statistics survived")
        print(name, "converted agrees", d)
    print("all checks passed")


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
