"""Python Keras 3 side of benchmarks/ctr-vs-keras: the CTR models of jkeras' CtrModels, built the
same way (same layers via jkeras_ctr and keras-rs, same initializers, same heads), trained on the
exact rows jkeras trains on (exported by `jkeras ctr --export-npy DIR`) with the same optimizer,
batch size and early stopping on the held-out AUC (best weights restored).

Prints one JSON line: {"keras_version", "tf_version", "backend", "matmul_gflops", "models":
{name: {"params", "epochs", "seconds_per_epoch", "test_auc", "test_logloss", "flops_per_epoch"}}}:
jkeras' results.json schema plus the Keras backend, the machine's fp32 matmul rate (TF, 2048 x
2048) and each model's matmul FLOPs per epoch (training and validation), from which ctr-vs-keras
prints the FLOP floor.

Usage: benchmark_ctr.py --data DIR [--models fm,deepfm,dcnv2,xdeepfm] [--batch-size 1024]
       [--epochs 30] [--patience 2] [--learning-rate 0.001] [--seed 1]
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import keras_rs  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from sklearn.metrics import log_loss, roc_auc_score  # noqa: E402

import jkeras_ctr as ctr  # noqa: E402
from benchmark_speed import matmul_gflops  # noqa: E402

HIDDEN = (256, 128)
CROSS_LAYERS = 3
CIN_SIZES = (128, 128)


def mlp(x, prefix):
    for i, units in enumerate(HIDDEN):
        x = keras.layers.Dense(units, activation="relu", name=f"{prefix}_{i}")(x)
    return x


def build(kind, fields, id_space, numeric, k):
    """The twin of CtrModels.Builder.build()."""
    nums = keras.Input((numeric,), name="numeric") if numeric else None
    if kind == "dlrm":
        table = keras.layers.Embedding(id_space, k, name="embedding")
        inputs, vectors = [], []
        bottom = None
        if nums is not None:
            h = nums
            for i, units in enumerate(HIDDEN):
                h = keras.layers.Dense(units, activation="relu", name=f"bottom_{i}")(h)
            bottom = keras.layers.Dense(k, activation="relu", name="bottom_out")(h)
            vectors.append(bottom)
        for f in range(fields):
            idf = keras.Input((1,), dtype="int32", name=f"field_{f}")
            inputs.append(idf)
            vectors.append(keras.layers.Flatten(name=f"field_{f}_flat")(table(idf)))
        if nums is not None:
            inputs.append(nums)
        dots = keras_rs.layers.DotInteraction(name="interaction")(vectors)
        top = dots if bottom is None else keras.layers.Concatenate(name="top_in")([dots, bottom])
        out = keras.layers.Dense(1, activation="sigmoid", name="output")(mlp(top, "top"))
        return keras.Model(inputs, out, name=kind)
    ids = keras.Input((fields,), dtype="int32", name="ids")
    inputs = [ids] + ([nums] if nums is not None else [])
    e = keras.layers.Embedding(id_space, k, name="embedding")(ids)
    flat = keras.layers.Flatten(name="embedding_flat")(e)
    x0 = flat if nums is None else keras.layers.Concatenate(name="x0")([flat, nums])
    parts = []
    if kind not in ("dcn", "dcnv2"):
        w = keras.layers.Embedding(id_space, 1, embeddings_initializer="zeros",
                                   name="linear_embedding")(ids)
        lin_in = keras.layers.Flatten(name="linear_flat")(w)
        if nums is not None:
            lin_in = keras.layers.Concatenate(name="linear_in")([lin_in, nums])
        parts.append(keras.layers.Dense(1, name="linear")(lin_in))
    if kind == "fm":
        parts.append(ctr.FactorizationMachine(name="fm")(e))
    elif kind == "fwfm":
        parts.append(ctr.FieldWeightedFM(name="fwfm")(e))
    elif kind == "afm":
        parts.append(ctr.AttentionalFM(8, name="afm")(e))
    elif kind == "nfm":
        parts.append(mlp(ctr.BiInteractionPooling(name="bi_interaction")(e), "dnn"))
    elif kind == "widedeep":
        parts.append(mlp(x0, "dnn"))
    elif kind == "deepfm":
        parts += [ctr.FactorizationMachine(name="fm")(e), mlp(x0, "dnn")]
    elif kind == "xdeepfm":
        parts += [ctr.CIN(CIN_SIZES, name="cin")(e), mlp(x0, "dnn")]
    elif kind == "dcn":
        parts += [ctr.CrossNet(CROSS_LAYERS, name="cross_net")(x0), mlp(x0, "dnn")]
    elif kind == "dcnv2":
        x = x0
        for i in range(CROSS_LAYERS):
            x = keras_rs.layers.FeatureCross(name=f"cross_{i}")(x0, x)
        parts += [x, mlp(x0, "dnn")]
    else:
        raise ValueError(f"unknown model {kind!r}")
    joined = parts[0] if len(parts) == 1 else keras.layers.Concatenate(name="parts")(parts)
    out = keras.layers.Dense(1, activation="sigmoid", name="output")(joined)
    return keras.Model(inputs, out, name=kind)


def multiply_adds_per_row(model, k):
    """Multiply-adds of one row's forward pass in the model's kernels (Dense, FeatureCross, CIN):
    each kernel weight is used once per row, CIN's once per embedding component. Embedding lookups,
    biases and element-wise terms are left out (a few percent at most for these models)."""
    total = 0
    for layer in model.layers:
        kernels = sum(int(np.prod(w.shape)) for w in layer.trainable_weights if "kernel" in w.path)
        total += kernels * (k if isinstance(layer, ctr.CIN) else 1)
    return total


def feed(model, ids, numeric):
    out = []
    for t in model.inputs:
        name = t.name
        if name == "ids":
            out.append(ids)
        elif name == "numeric":
            out.append(numeric)
        else:
            f = int(name.split("_")[1])
            out.append(ids[:, f:f + 1])
    return out


class EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--models", default="fm,deepfm,dcnv2,xdeepfm")
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=2)
    ap.add_argument("--learning-rate", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    meta = json.load(open(os.path.join(a.data, "features.json")))
    arr = {n: np.load(os.path.join(a.data, n + ".npy"))
           for n in ["ids_train", "numeric_train", "y_train", "ids_valid", "numeric_valid",
                     "y_valid", "ids_test", "numeric_test", "y_test"]}
    results = {}
    for kind in a.models.split(","):
        keras.utils.set_random_seed(a.seed)
        m = build(kind, meta["fields"], meta["id_space"], meta["numeric"], meta["emb"])
        m.compile(optimizer=keras.optimizers.Adam(a.learning_rate), loss="binary_crossentropy",
                  metrics=[keras.metrics.AUC(name="auc")])
        timer = EpochTimer()
        stop = keras.callbacks.EarlyStopping("val_auc", patience=a.patience, mode="max",
                                             restore_best_weights=True)
        h = m.fit(feed(m, arr["ids_train"], arr["numeric_train"]), arr["y_train"],
                  batch_size=a.batch_size, epochs=a.epochs, shuffle=True, verbose=2,
                  validation_data=(feed(m, arr["ids_valid"], arr["numeric_valid"]), arr["y_valid"]),
                  callbacks=[timer, stop])
        p = m.predict(feed(m, arr["ids_test"], arr["numeric_test"]), batch_size=4096, verbose=0)
        y = arr["y_test"].ravel()
        p = np.clip(p.ravel().astype("float64"), 1e-7, 1 - 1e-7)
        results[kind] = {
            "params": int(m.count_params()),
            "epochs": len(h.history["loss"]),
            "seconds_per_epoch": float(np.mean(timer.seconds)),
            "test_auc": float(roc_auc_score(y, p)),
            "test_logloss": float(log_loss(y, p)),
            # training ~ 3 products per kernel (forward, input and kernel gradients), validation 1
            "flops_per_epoch": 2.0 * multiply_adds_per_row(m, meta["emb"])
            * (3 * len(arr["y_train"]) + len(arr["y_valid"])),
        }
        print(kind, results[kind], file=sys.stderr)
    print(json.dumps({"keras_version": keras.__version__, "tf_version": tf.__version__,
                      "backend": keras.backend.backend(), "matmul_gflops": matmul_gflops(tf),
                      "models": results}))


if __name__ == "__main__":
    main()
