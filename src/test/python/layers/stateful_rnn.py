"""Python Keras's side of StatefulRecurrentTest: stateful SimpleRNN, LSTM, GRU, Bidirectional and
RNN over a cell reading backwards.

Usage:
  stateful_rnn.py make DIR    per case (below), a model of batch size 2 whose recurrent layer is
                              stateful, then what Keras does with it, in this order:
                                NAME.keras        the model, saved before it ever ran
                                NAME.x.npy        6 sequences (3 batches of 2), NAME.y.npy targets
                                NAME.pred.npy     predict(x, batch_size=2): each batch continues
                                                  the previous one's sequences
                                NAME.states.npy   the layer's states after that, flattened
                                NAME.more.npy     predict(x[:2]) after that, without a reset
                                NAME.reset.npy    predict(x[2:4]) after reset_states()
                              then compiled with SGD(0.1) and mse, after reset_states() each:
                                NAME.eval.npy     evaluate(x, y, batch_size=2)
                                NAME.fit.npy      the two epoch losses of fit(x, y, batch_size=2,
                                                  epochs=2, shuffle=False)
                                NAME.fit_weights.npy  every weight after that fit, flattened
                                NAME.fit_states.npy   the layer's states after that fit
  stateful_rnn.py check DIR   loads what Java wrote: java_NAME.keras (Python's file after Java ran
                              it, so with nonzero states in Java) predicts NAME.pred.npy from zero
                              states and stores no state variable; jb_NAME.keras (built with
                              jkeras's API, Python's weights) predicts NAME.pred.npy and has the
                              same layer configs (stateful=True)
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import zipfile  # noqa: E402

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
import interop_files  # noqa: E402

BATCH = 2

CASES = {
    "simple_rnn": lambda: L.SimpleRNN(3, stateful=True, name="layer"),
    "lstm": lambda: L.LSTM(3, stateful=True, return_sequences=True, name="layer"),
    "gru": lambda: L.GRU(3, stateful=True, name="layer"),
    "bidirectional": lambda: L.Bidirectional(L.LSTM(2, stateful=True, name="lstm"),
                                             name="layer"),
    "rnn_cell_backwards": lambda: L.RNN(L.SimpleRNNCell(2, name="cell"), stateful=True,
                                        return_sequences=True, go_backwards=True, name="layer"),
}


def build(name):
    return keras.Sequential(
        [keras.Input(batch_shape=(BATCH, 3, 4)), CASES[name](), L.Dense(2, name="dense")],
        name=name)


def states(model):
    return np.concatenate([np.ravel(v.numpy()) for v in model.get_layer("layer").states])


def flat_weights(model):
    return np.concatenate([np.ravel(w) for w in model.get_weights()])


def make(folder):
    def out(name, suffix, value):
        np.save(os.path.join(folder, f"{name}.{suffix}.npy"), np.asarray(value, dtype="float32"))

    for i, name in enumerate(CASES):
        keras.utils.set_random_seed(300 + i)
        model = build(name)
        model.save(os.path.join(folder, name + ".keras"))
        rng = np.random.default_rng(i)
        x = rng.normal(size=(6, 3, 4)).astype("float32")
        y = rng.normal(size=(6,) + model.output_shape[1:]).astype("float32")
        out(name, "x", x)
        out(name, "y", y)
        layer = model.get_layer("layer")
        out(name, "pred", model.predict(x, batch_size=BATCH, verbose=0))
        out(name, "states", states(model))
        out(name, "more", model.predict(x[:2], batch_size=BATCH, verbose=0))
        layer.reset_states()
        out(name, "reset", model.predict(x[2:4], batch_size=BATCH, verbose=0))
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
        layer.reset_states()
        out(name, "eval", [model.evaluate(x, y, batch_size=BATCH, verbose=0)])
        layer.reset_states()
        history = model.fit(x, y, batch_size=BATCH, epochs=2, shuffle=False, verbose=0)
        out(name, "fit", history.history["loss"])
        out(name, "fit_weights", flat_weights(model))
        out(name, "fit_states", states(model))
    print("made", len(CASES), "models")


def weight_paths(path):
    with zipfile.ZipFile(path) as z, z.open("model.weights.h5") as f, h5py.File(f) as h5:
        names = []
        h5.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        return names


def check(folder):
    for name in CASES:
        x = np.load(os.path.join(folder, name + ".x.npy"))
        pred = np.load(os.path.join(folder, name + ".pred.npy"))
        original = interop_files.load(os.path.join(folder, name + ".keras"))
        for prefix in ("java_", "jb_"):
            path = os.path.join(folder, prefix + name + ".keras")
            if weight_paths(path) != weight_paths(os.path.join(folder, name + ".keras")):
                raise AssertionError(f"{prefix}{name}: weights {weight_paths(path)}")
            model = interop_files.load(path)
            interop_files.close(prefix + name, "predictions", pred,
                                model.predict(x, batch_size=BATCH, verbose=0))
            ca, cb = interop_files.layer_configs(original), interop_files.layer_configs(model)
            if ca != cb:
                raise AssertionError(f"{prefix}{name}: layer configs {cb} != Keras's {ca}")
    print("all checks passed:", len(CASES))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
