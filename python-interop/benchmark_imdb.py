"""Trains the two IMDB models of jkeras in Python Keras 3 and reports timings as JSON.

Input: a folder with x_train.npy (int32, (n, 100)), y_train.npy (float32, (n,)),
x_test.npy and y_test.npy, as written from Java with io.jkeras.io.NpyFile, so that both
sides train on the same token ids.

Models (functional, default layer names):
  baseline: Input((100,), int32) -> Embedding(20000, 50) -> Dropout(0.2)
            -> Conv1D(250, 3, valid, relu) -> GlobalMaxPooling1D -> Dense(250, relu)
            -> Dropout(0.2) -> Dense(1, sigmoid)                    1,100,751 params
  fm:       the same with FMLayer(200, 100) instead of Dense(250, relu)   1,113,151 params
Both: Adam (defaults), binary_crossentropy, accuracy.

Each model is trained with fit(..., validation_data=(x_test, y_test), verbose=2). Timing per
epoch: epoch_seconds runs from on_epoch_begin to on_epoch_end (training + validation);
train_seconds from on_epoch_begin to on_test_begin (training only, which is what
samples_per_second = n_train / train_seconds uses). The first epoch includes graph tracing.

model.summary() and Keras' progress lines go to stderr; stdout's last line is one JSON object:
  {"keras_version": ..., "tf_version": ..., "args": {...}, "data": {...},
   "models": {"baseline": {"params": ..., "epoch_seconds": [...], "train_seconds": [...],
                           "samples_per_second": [...], "history": {"loss": [...], ...},
                           "val_accuracy": [...], "val_loss": [...],
                           "final_val_accuracy": ..., "final_val_loss": ...}, "fm": {...}}}

Example:
  python python-interop/benchmark_imdb.py --data /tmp/imdb-npy --epochs 2 --models baseline,fm
"""

import argparse
import contextlib
import json
import os
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

MAXLEN = 100
MAX_FEATURES = 20000
EMBEDDING_DIMS = 50
FILTERS = 250
KERNEL_SIZE = 3
HIDDEN_DIMS = 250
KNOWN_MODELS = ("baseline", "fm")
# The architectures are fixed; a different count means the model is not the one jkeras builds.
EXPECTED_PARAMS = {"baseline": 1_100_751, "fm": 1_113_151}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="folder with x_train/y_train/x_test/y_test .npy")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--models", default="baseline,fm",
                   help="comma-separated, from: " + ", ".join(KNOWN_MODELS))
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    args.models = [m.strip() for m in args.models.split(",") if m.strip()]
    unknown = [m for m in args.models if m not in KNOWN_MODELS]
    if unknown or not args.models:
        p.error(f"--models: unknown {unknown}, expected a list from {list(KNOWN_MODELS)}")
    if args.epochs < 1:
        p.error("--epochs must be at least 1")
    if args.batch_size < 1:
        p.error("--batch-size must be at least 1")
    return args


def load_data(folder):
    """The four arrays, checked for the shapes and dtypes the models expect."""
    arrays = {}
    for name in ("x_train", "y_train", "x_test", "y_test"):
        path = os.path.join(folder, name + ".npy")
        if not os.path.isfile(path):
            sys.exit(f"benchmark_imdb: missing {path} (write it from Java with NpyFile.write)")
        arrays[name] = np.load(path, allow_pickle=False)
    for split in ("train", "test"):
        x, y = arrays["x_" + split], arrays["y_" + split]
        if x.ndim != 2 or x.shape[1] != MAXLEN or x.dtype.kind not in "iu":
            sys.exit(f"benchmark_imdb: x_{split} must be integers of shape (n, {MAXLEN}), "
                     f"got {x.dtype} {x.shape}")
        if y.shape != (x.shape[0],):
            sys.exit(f"benchmark_imdb: y_{split} must have shape ({x.shape[0]},), got {y.shape}")
        if x.size and (x.min() < 0 or x.max() >= MAX_FEATURES):
            sys.exit(f"benchmark_imdb: x_{split} ids must be in [0, {MAX_FEATURES}), "
                     f"got [{x.min()}, {x.max()}]")
        arrays["x_" + split] = x.astype(np.int32, copy=False)
        arrays["y_" + split] = y.astype(np.float32, copy=False)
    return arrays


def build_model(kind, keras):
    from jkeras_fm import FMLayer

    inputs = keras.Input(shape=(MAXLEN,), dtype="int32")
    h = keras.layers.Embedding(MAX_FEATURES, EMBEDDING_DIMS)(inputs)
    h = keras.layers.Dropout(0.2)(h)
    h = keras.layers.Conv1D(FILTERS, KERNEL_SIZE, padding="valid", activation="relu",
                            strides=1)(h)
    h = keras.layers.GlobalMaxPooling1D()(h)
    if kind == "baseline":
        h = keras.layers.Dense(HIDDEN_DIMS, activation="relu")(h)
    else:
        h = FMLayer(200, 100)(h)
    h = keras.layers.Dropout(0.2)(h)
    outputs = keras.layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def make_timer(keras):
    class EpochTimer(keras.callbacks.Callback):
        """Wall time per epoch, and the training part of it (until validation starts)."""

        def __init__(self):
            super().__init__()
            self.epoch_seconds = []
            self.train_seconds = []
            self._start = None
            self._train_end = None

        def on_epoch_begin(self, epoch, logs=None):
            self._train_end = None
            self._start = time.perf_counter()

        def on_test_begin(self, logs=None):
            # Called by fit's validation pass; also by a standalone evaluate, which has no epoch.
            if self._start is not None and self._train_end is None:
                self._train_end = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            end = time.perf_counter()
            self.epoch_seconds.append(end - self._start)
            self.train_seconds.append((self._train_end or end) - self._start)
            self._start = None

    return EpochTimer()


def run_model(kind, data, args, keras):
    # A fresh session per model: default layer names restart (embedding, dense, ...) and the
    # previous model's graphs are freed before timing the next one.
    keras.backend.clear_session()
    keras.utils.set_random_seed(args.seed)
    model = build_model(kind, keras)
    with contextlib.redirect_stdout(sys.stderr):
        model.summary()
    if model.count_params() != EXPECTED_PARAMS[kind]:
        sys.exit(f"benchmark_imdb: {kind} has {model.count_params():,} params, "
                 f"expected {EXPECTED_PARAMS[kind]:,}")
    timer = make_timer(keras)
    # Keras writes its per-epoch lines to stdout; keep stdout for the JSON result.
    with contextlib.redirect_stdout(sys.stderr):
        history = model.fit(
            data["x_train"],
            data["y_train"],
            batch_size=args.batch_size,
            epochs=args.epochs,
            validation_data=(data["x_test"], data["y_test"]),
            verbose=2,
            callbacks=[timer],
        )
    n_train = int(data["x_train"].shape[0])
    hist = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return {
        "params": int(model.count_params()),
        "epoch_seconds": [round(s, 4) for s in timer.epoch_seconds],
        "train_seconds": [round(s, 4) for s in timer.train_seconds],
        "samples_per_second": [round(n_train / s, 1) for s in timer.train_seconds],
        "history": hist,
        "val_accuracy": hist.get("val_accuracy", []),
        "val_loss": hist.get("val_loss", []),
        "final_val_accuracy": hist["val_accuracy"][-1] if hist.get("val_accuracy") else None,
        "final_val_loss": hist["val_loss"][-1] if hist.get("val_loss") else None,
    }


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    data = load_data(args.data)

    import keras
    import tensorflow as tf

    result = {
        "keras_version": keras.__version__,
        "tf_version": tf.__version__,
        "backend": keras.backend.backend(),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "args": {"epochs": args.epochs, "batch_size": args.batch_size,
                 "models": args.models, "seed": args.seed},
        "data": {name: {"shape": list(a.shape), "dtype": str(a.dtype)}
                 for name, a in data.items()},
        "models": {},
    }
    for kind in args.models:
        print(f"benchmark_imdb: training {kind}", file=sys.stderr, flush=True)
        result["models"][kind] = run_model(kind, data, args, keras)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
