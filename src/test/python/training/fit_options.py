"""Keras 3 reference numbers for jkeras's fit options (FitOptionsParityTest), in one process.

For each case: build a small compiled model with fixed initial weights, save it untrained as
<out>/<case>.keras, train it with the case's fit options (no shuffling), and record the history,
the trained weights and an evaluation in <out>/results.json.
"""

import json
import sys

import numpy as np

import keras

out = sys.argv[1]
rng = np.random.default_rng(7)
N = 20
x = rng.normal(size=(N, 4)).astype("float32")
y = (rng.random(N) > 0.4).astype("float32")
w = rng.uniform(0.1, 2.0, size=N).astype("float32")
xa = rng.normal(size=(N, 3)).astype("float32")
xb = rng.normal(size=(N, 2)).astype("float32")
y2 = rng.normal(size=(N, 1)).astype("float32")
w2 = rng.uniform(0.0, 3.0, size=N).astype("float32")
results = {"x": x.tolist(), "y": y.tolist(), "w": w.tolist(), "xa": xa.tolist(),
           "xb": xb.tolist(), "y2": y2.ravel().tolist(), "w2": w2.tolist(), "cases": {}}


def mlp():
    keras.utils.set_random_seed(1)
    inp = keras.Input((4,), name="features")
    h = keras.layers.Dense(3, activation="tanh", name="hidden")(inp)
    o = keras.layers.Dense(1, activation="sigmoid", name="click")(h)
    m = keras.Model(inp, o)
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy",
              metrics=["accuracy"])
    return m


def two_towers():
    keras.utils.set_random_seed(2)
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = keras.layers.Concatenate(name="concat")([a, b])
    h = keras.layers.Dense(4, activation="tanh", name="shared")(h)
    o1 = keras.layers.Dense(1, name="click")(h)
    o2 = keras.layers.Dense(1, name="value")(h)
    m = keras.Model([a, b], [o1, o2])
    m.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return m


def record(name, model, history, evaluation):
    results["cases"][name] = {
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "weights": [np.asarray(v).ravel().tolist() for v in model.get_weights()],
        "evaluate": {k: float(v) for k, v in evaluation.items()},
    }


# Sample weights: the loss is sum(w * l) / batch; "accuracy" (a compiled metric) stays unweighted.
m = mlp()
m.save(f"{out}/sample_weight.keras")
h = m.fit(x, y, sample_weight=w, batch_size=8, epochs=2, shuffle=False, verbose=0,
          validation_data=(x[:6], y[:6], w[:6]))
record("sample_weight", m, h, m.evaluate(x, y, sample_weight=w, batch_size=8, verbose=0,
                                          return_dict=True))

# Class weights: each sample weighs its class's weight.
m = mlp()
m.save(f"{out}/class_weight.keras")
h = m.fit(x, y, class_weight={0: 0.5, 1: 3.0}, batch_size=8, epochs=2, shuffle=False, verbose=0,
          validation_split=0.25)
record("class_weight", m, h, m.evaluate(x, y, batch_size=8, verbose=0, return_dict=True))

# steps_per_epoch over 3 batches a pass: epoch 1 takes batches 0-1, epoch 2 batch 2 (the pass runs
# out), epoch 3 batches 0-1 of a new pass. validation_steps=1 validates on the first batch only.
m = mlp()
m.save(f"{out}/steps.keras")
h = m.fit(x, y, batch_size=8, epochs=3, steps_per_epoch=2, shuffle=False, verbose=0,
          validation_data=(x, y), validation_steps=1)
record("steps", m, h, m.evaluate(x, y, batch_size=8, steps=2, verbose=0, return_dict=True))

# Named inputs (a dict) and per-output sample weights. Keras matches label and weight dicts to
# dict-structured outputs only, so this list-output model gets them as lists in output order
# [click, value]; jkeras is given them by output name.
m = two_towers()
m.save(f"{out}/named.keras")
xs = {"a": xa, "b": xb}
ys = [y.reshape(-1, 1), y2]
sws = [w, w2]
h = m.fit(xs, ys, sample_weight=sws, batch_size=8, epochs=2, shuffle=False, verbose=0,
          validation_data=(xs, ys, sws))
ev = m.evaluate(xs, ys, sample_weight=sws, batch_size=8, verbose=0, return_dict=True)
record("named", m, h, ev)
results["cases"]["named"]["predict"] = [np.asarray(p).ravel().tolist()
                                        for p in m.predict(xs, verbose=0)]

with open(f"{out}/results.json", "w") as f:
    json.dump(results, f)
