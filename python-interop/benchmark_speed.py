"""Keras 3 side of benchmarks/speed-matrix: every Keras cell of the speed matrix in one process.

IMDB baseline and FM (the models of benchmark_imdb.py): seconds per epoch including validation at
batch 32, 256 and 1024, predict rows/s at batch 1, 32 and 1024 (after training at 1024).
DeepFM and DCN-v2 on Frappe (the models of benchmark_ctr.py, on the split jkeras exports): seconds
per epoch including validation at 256, 1024 and 4096, predict rows/s at 1, 32, 1024 and 4096.

Each training cell is the median of 3 timed epochs on a fresh model after an untimed one-epoch fit on a slice of
the rows (two batches plus the partial last batch; validation likewise), so that tf.function
tracing is outside the timing, as graph building is on the jkeras side. Predict at batch 1 runs on
the first --batch1-rows test rows; every other predict cell on all test rows; each predict cell is
the median of 3 runs.

Prints one JSON line on stdout: {"keras_version", "tf_version", "matmul_gflops", "cells": {...}}
with the keys of io.jkeras.bench.SpeedMatrix, and with the CTR cells "ctr_flops_per_row" (each
model's matmul FLOPs per row, forward) and "ctr_rows" (training and validation rows), from which
speed-matrix prints the FLOP floor of every CTR cell.

Usage: benchmark_speed.py --imdb DIR --ctr DIR [--batch1-rows 2000] [--only imdb|ctr|all]
"""
import argparse
import contextlib
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402


def progress(msg):
    print("benchmark_speed: " + msg, file=sys.stderr, flush=True)


def slice_rows(xs, n):
    return [x[:n] for x in xs] if isinstance(xs, list) else xs[:n]


def epoch_seconds(model, x, y, vx, vy, batch, rows, epochs=1):
    """Median seconds of `epochs` timed epochs (training + validation) after an untimed
    warm-up fit on a slice."""
    import keras

    class Timer(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    warm = min(rows, 2 * batch + rows % batch)
    vrows = len(vy)
    vwarm = min(vrows, batch + vrows % batch)
    with contextlib.redirect_stdout(sys.stderr):
        model.fit(slice_rows(x, warm), y[:warm], batch_size=batch, epochs=1, verbose=0,
                  validation_data=(slice_rows(vx, vwarm), vy[:vwarm]))
        timer = Timer()
        model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0, validation_data=(vx, vy),
                  callbacks=[timer])
    return sorted(timer.seconds)[len(timer.seconds) // 2]


def predict_rows_per_second(model, x, batch):
    rows = len(x[0]) if isinstance(x, list) else len(x)
    model.predict(slice_rows(x, min(rows, 3 * batch)), batch_size=batch, verbose=0)
    rates = []
    for _ in range(3):
        t0 = time.perf_counter()
        model.predict(x, batch_size=batch, verbose=0)
        rates.append(rows / (time.perf_counter() - t0))
    return sorted(rates)[1]


def matmul_gflops(tf, n=2048, reps=20):
    a = tf.random.uniform((n, n))
    f = tf.function(lambda m: tf.reduce_sum(tf.linalg.matmul(m, m)))
    f(a).numpy()
    best = 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        f(a).numpy()
        best = max(best, 2.0 * n ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def imdb(keras, folder, batch1_rows, cells):
    import benchmark_imdb as bi

    d = bi.load_data(folder)
    for kind in ("baseline", "fm"):
        for batch in (32, 256, 1024):
            keras.backend.clear_session()
            keras.utils.set_random_seed(1)
            m = bi.build_model(kind, keras)
            s = epoch_seconds(m, d["x_train"], d["y_train"], d["x_test"], d["y_test"], batch,
                              len(d["y_train"]), epochs=3)
            cells[f"imdb_{kind}_train_{batch}"] = s
            progress(f"imdb {kind} train batch {batch}: {s:.2f} s/epoch")
            if batch == 1024:
                for pb in (1, 32, 1024):
                    x = d["x_test"][:batch1_rows] if pb == 1 else d["x_test"]
                    r = predict_rows_per_second(m, x, pb)
                    cells[f"imdb_{kind}_predict_{pb}"] = r
                    progress(f"imdb {kind} predict batch {pb}: {r:.0f} rows/s")


def ctr(keras, folder, batch1_rows, cells, out):
    import benchmark_ctr as bc

    meta = json.load(open(os.path.join(folder, "features.json")))
    arr = {n: np.load(os.path.join(folder, n + ".npy"))
           for n in ["ids_train", "numeric_train", "y_train", "ids_valid", "numeric_valid",
                     "y_valid", "ids_test", "numeric_test"]}
    flops = out["ctr_flops_per_row"] = {}
    out["ctr_rows"] = {"train": len(arr["y_train"]), "valid": len(arr["y_valid"])}
    for kind in ("deepfm", "dcnv2"):
        for batch in (256, 1024, 4096):
            keras.backend.clear_session()
            keras.utils.set_random_seed(1)
            m = bc.build(kind, meta["fields"], meta["id_space"], meta["numeric"], meta["emb"])
            m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc")])
            x = bc.feed(m, arr["ids_train"], arr["numeric_train"])
            vx = bc.feed(m, arr["ids_valid"], arr["numeric_valid"])
            s = epoch_seconds(m, x, arr["y_train"], vx, arr["y_valid"], batch,
                              len(arr["y_train"]), epochs=3)
            cells[f"ctr_{kind}_train_{batch}"] = s
            progress(f"ctr {kind} train batch {batch}: {s:.2f} s/epoch")
            if batch == 4096:
                flops[kind] = 2.0 * bc.multiply_adds_per_row(m, meta["emb"])
                for pb in (1, 32, 1024, 4096):
                    n = batch1_rows if pb == 1 else len(arr["ids_test"])
                    tx = bc.feed(m, arr["ids_test"][:n], arr["numeric_test"][:n])
                    r = predict_rows_per_second(m, tx, pb)
                    cells[f"ctr_{kind}_predict_{pb}"] = r
                    progress(f"ctr {kind} predict batch {pb}: {r:.0f} rows/s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--imdb", help="folder written by `jkeras imdb --export-npy`")
    ap.add_argument("--ctr", help="folder written by `jkeras ctr --export-npy`")
    ap.add_argument("--batch1-rows", type=int, default=2000)
    ap.add_argument("--only", default="all", choices=["all", "imdb", "ctr"])
    a = ap.parse_args()
    import keras
    import tensorflow as tf

    cells = {}
    out = {"keras_version": keras.__version__, "tf_version": tf.__version__,
           "matmul_gflops": matmul_gflops(tf), "cells": cells}
    progress(f"matmul 2048 x 2048: {out['matmul_gflops']:.1f} GFLOP/s")
    if a.only in ("all", "imdb"):
        imdb(keras, a.imdb, a.batch1_rows, cells)
    if a.only in ("all", "ctr"):
        ctr(keras, a.ctr, a.batch1_rows, cells, out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
