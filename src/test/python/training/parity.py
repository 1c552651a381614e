"""Python Keras's side of TrainingParityTest: the same compiled model trained in Python and in jkeras.

Usage:
  parity.py make DIR    writes DIR/cases.json and, per case, DIR/<case>/{initial,python}.keras,
                        x.npy, y.npy (see make())
  parity.py check DIR   compares DIR/<case>/java.keras with python.keras and prints one JSON
                        object of results (see check())

Every case is a small model compiled with one optimizer / option / schedule / loss, saved untrained
(initial.keras) and trained EPOCHS epochs without shuffling (python.keras). Java loads initial.keras,
trains it the same way and writes java.keras. check() compares every weight and optimizer variable
of the two files (the difference relative to values above 1), then trains both files one more epoch in Python and compares again: Python must
continue the Java file exactly as it continues its own.

The last epoch's logs (loss and metrics) are in cases.json for Java to compare with its own.
With PARITY_ONLY=name1,name2 in the environment, make() writes only those cases.

"unsupported" is a file compiled with settings jkeras does not have (Lamb, Dice loss), trained one
epoch: Java predicts with it and converts it; check() verifies the converted file's compile_config
and optimizer variables are the original's and that it compiles and trains as the original.
"""
import json
import os
import sys
import warnings
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402

EPOCHS, BATCH, SAMPLES = 2, 8, 32
O = keras.optimizers
S = keras.optimizers.schedules
L = keras.losses

# name -> (optimizer factory, loss, output kind, tolerance)
CASES = {
    "sgd": (lambda: O.SGD(0.05), "mse", "reg", 1e-6),
    "sgd_nesterov": (lambda: O.SGD(0.05, momentum=0.9, nesterov=True), "mse", "reg", 1e-6),
    "adam": (lambda: O.Adam(0.01), "binary_crossentropy", "bin", 1e-6),
    "rmsprop_centered": (
        lambda: O.RMSprop(0.01, momentum=0.5, centered=True), "mse", "reg", 1e-6),
    "adagrad": (lambda: O.Adagrad(0.05), "mse", "reg", 1e-6),
    "adam_amsgrad": (lambda: O.Adam(0.01, amsgrad=True), "mse", "reg", 1e-6),
    "adamw": (lambda: O.AdamW(0.01, weight_decay=0.05), "binary_crossentropy", "bin", 1e-6),
    "adam_weight_decay": (lambda: O.Adam(0.01, weight_decay=0.02), "mse", "reg", 1e-6),
    "adamax": (lambda: O.Adamax(0.01), "mse", "reg", 1e-6),
    "nadam": (lambda: O.Nadam(0.01), "mse", "reg", 1e-6),
    "adadelta": (lambda: O.Adadelta(1.0), "mse", "reg", 1e-6),
    "ftrl": (lambda: O.Ftrl(0.05, l1_regularization_strength=0.001,
                            l2_regularization_strength=0.01,
                            l2_shrinkage_regularization_strength=0.01, beta=0.1),
             "mse", "reg", 1e-6),
    "lion": (lambda: O.Lion(0.001), "mse", "reg", 1e-6),
    # Adafactor: a factored (kernel) and a whole (bias) second moment.
    "adafactor": (lambda: O.Adafactor(0.01), "mse", "reg", 1e-6),
    "adafactor_options": (
        lambda: O.Adafactor(S.ExponentialDecay(0.05, 3, 0.5), beta_2_decay=-0.5, epsilon_2=0.01,
                            clip_threshold=0.5, relative_step=False, weight_decay=0.01),
        "binary_crossentropy", "bin", 1e-6),
    # Norms sum over the gradients: another summation order than Python's.
    "sgd_clipnorm": (lambda: O.SGD(0.05, clipnorm=0.1), "mse", "reg", 1e-5),
    "sgd_global_clipnorm": (lambda: O.SGD(0.05, global_clipnorm=0.1), "mse", "reg", 1e-5),
    "adam_clipvalue": (lambda: O.Adam(0.01, clipvalue=0.01), "mse", "reg", 1e-6),
    "adam_ema": (lambda: O.Adam(0.01, use_ema=True, ema_momentum=0.9), "mse", "reg", 1e-6),
    "sgd_ema_overwrite": (
        lambda: O.SGD(0.05, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=3),
        "mse", "reg", 1e-6),
    "sgd_accumulation": (
        lambda: O.SGD(0.05, momentum=0.9, gradient_accumulation_steps=3), "mse", "reg", 1e-6),
    "rmsprop_loss_scale": (lambda: O.RMSprop(0.01, loss_scale_factor=128.0), "mse", "reg", 1e-6),
    "adam_accumulation_schedule": (
        lambda: O.Adam(S.ExponentialDecay(0.02, 3, 0.5), gradient_accumulation_steps=2),
        "mse", "reg", 1e-6),
    "exponential_decay": (
        lambda: O.SGD(S.ExponentialDecay(0.1, 3, 0.5, staircase=True)), "mse", "reg", 1e-6),
    "inverse_time_decay": (lambda: O.SGD(S.InverseTimeDecay(0.1, 2, 0.5)), "mse", "reg", 1e-6),
    "piecewise_constant_decay": (
        lambda: O.SGD(S.PiecewiseConstantDecay([2, 5], [0.1, 0.05, 0.01])), "mse", "reg", 1e-6),
    "polynomial_decay": (
        lambda: O.SGD(S.PolynomialDecay(0.1, 5, 0.01, power=2.0, cycle=True)),
        "mse", "reg", 1e-6),
    "cosine_decay_warmup": (
        lambda: O.SGD(S.CosineDecay(0.0, 5, alpha=0.1, warmup_target=0.1, warmup_steps=3)),
        "mse", "reg", 1e-6),
    "cosine_decay_restarts": (
        lambda: O.SGD(S.CosineDecayRestarts(0.1, 2, t_mul=2.0, m_mul=0.5, alpha=0.01)),
        "mse", "reg", 1e-6),
    # An Embedding table: jkeras updates it from the looked-up rows (scatter updates), Keras
    # (TensorFlow backend) from tf.IndexedSlices. Rows miss some batches. With ids repeated in a
    # batch ("emb") only SGD's numbers are the dense math's in Keras: its Adagrad/Adam square each
    # occurrence's gradient (sum of squares, not square of the sum) and clipnorm takes the norm
    # over occurrences. So those cases use ids distinct within each batch ("emb_distinct").
    "sgd_embedding": (lambda: O.SGD(0.1), "mse", "emb", 1e-6),
    "adagrad_embedding": (lambda: O.Adagrad(0.1), "mse", "emb_distinct", 1e-6),
    "sgd_embedding_clipnorm": (lambda: O.SGD(0.1, clipnorm=0.05), "mse", "emb_distinct", 1e-5),
    "adam_embedding": (lambda: O.Adam(0.01), "mse", "emb_distinct", 1e-6),
    # Losses (with SGD: its update adds no rounding of its own).
    "loss_cce_smoothing": (
        lambda: O.SGD(0.1), lambda: L.CategoricalCrossentropy(label_smoothing=0.1), "cat", 1e-6),
    "loss_cce_logits": (
        lambda: O.SGD(0.1), lambda: L.CategoricalCrossentropy(from_logits=True), "cat_logits",
        1e-6),
    "loss_sparse_cce": (lambda: O.SGD(0.1), "sparse_categorical_crossentropy", "sparse", 1e-6),
    "loss_bce_logits_smoothing": (
        lambda: O.SGD(0.1), lambda: L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
        "bin_logits", 1e-6),
    "loss_binary_focal": (
        lambda: O.SGD(0.1),
        lambda: L.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=1.5), "bin", 1e-6),
    "loss_binary_focal_logits": (
        lambda: O.SGD(0.1),
        lambda: L.BinaryFocalCrossentropy(from_logits=True, label_smoothing=0.1), "bin_logits",
        1e-6),
    "loss_categorical_focal": (
        lambda: O.SGD(0.1), lambda: L.CategoricalFocalCrossentropy(label_smoothing=0.05), "cat",
        1e-6),
    "loss_mae": (lambda: O.SGD(0.05), "mae", "reg", 1e-6),
    "loss_mape": (lambda: O.SGD(0.001), "mape", "pos", 1e-6),
    "loss_msle": (lambda: O.SGD(0.1), "msle", "pos", 1e-6),
    "loss_huber": (lambda: O.SGD(0.05), "huber", "reg", 1e-6),
    "loss_huber_sum": (lambda: O.SGD(0.01), lambda: L.Huber(reduction="sum"), "reg", 1e-6),
    "loss_log_cosh": (lambda: O.SGD(0.05), "log_cosh", "reg", 1e-6),
    "loss_kld": (lambda: O.SGD(0.1), "kld", "cat", 1e-6),
    "loss_poisson": (lambda: O.SGD(0.05), "poisson", "pos", 1e-6),
    "loss_cosine_similarity": (lambda: O.SGD(0.1), L.CosineSimilarity, "cat", 1e-6),
    "loss_hinge": (lambda: O.SGD(0.05), "hinge", "hinge", 1e-6),
    "loss_squared_hinge_binary_labels": (lambda: O.SGD(0.05), "squared_hinge", "bin", 1e-6),
    "loss_categorical_hinge": (lambda: O.SGD(0.1), "categorical_hinge", "cat", 1e-6),
    "loss_mse_sum": (lambda: O.SGD(0.01), lambda: L.MeanSquaredError(reduction="sum"), "reg",
                     1e-6),
    # "none": Keras logs the mean of the per-sample losses and takes the gradient of their sum.
    "loss_mse_none": (lambda: O.SGD(0.005), lambda: L.MeanSquaredError(reduction="none"), "reg",
                      1e-6),
    "loss_sparse_cce_ignore_class": (
        lambda: O.SGD(0.1), lambda: L.SparseCategoricalCrossentropy(ignore_class=-1),
        "sparse_ignore", 1e-6),
    "loss_sparse_cce_ignore_class_logits": (
        lambda: O.SGD(0.1),
        lambda: L.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1,
                                                reduction="mean_with_sample_weight"),
        "sparse_logits", 1e-6),
    # Two outputs, "a" and "b": loss_weights as a list and as a dict by output name.
    # Keras takes loss_weights in the form of the losses: one per output.
    "loss_weights_list": (lambda: O.SGD(0.05), ["mse", "huber"], "two", 1e-6),
    "loss_weights_dict": (
        lambda: O.Adam(0.01), lambda: {"b": L.MeanAbsoluteError(), "a": "mse"}, "two", 1e-6),
    # Metrics: the last epoch's logs are compared too.
    # Per-output metrics on two outputs, as a dict by output name and as a list of one entry per
    # output (logged as "b_mae", and "b_mae_1" for the second metric of that name).
    "metrics_two_outputs_dict": (
        lambda: O.SGD(0.05), ["mse", "huber"], "two", 1e-6,
        lambda: {"b": ["mae", keras.metrics.RootMeanSquaredError(name="rmse")], "a": "mse"}),
    "metrics_two_outputs_list": (
        lambda: O.SGD(0.05), ["mse", "huber"], "two", 1e-6, lambda: [None, ["mae", "mae"]]),
    # Weighted metrics (see WEIGHTED_METRICS): logged as "weighted_binary_accuracy" beside the
    # metric of that name.
    "weighted_metrics_binary": (
        lambda: O.SGD(0.1), "binary_crossentropy", "bin", 1e-6, lambda: ["binary_accuracy"]),
    "metrics_regression": (
        lambda: O.SGD(0.05), "mse", "reg", 1e-6,
        lambda: ["mae", "mape", "msle", "log_cosh_error", "mse", keras.metrics.RootMeanSquaredError()]),
    "metrics_categorical": (
        lambda: O.SGD(0.1), "categorical_crossentropy", "cat", 1e-6,
        lambda: ["categorical_accuracy", "top_k_categorical_accuracy", "kl_divergence", "categorical_hinge",
                 "categorical_crossentropy"]),
    "metrics_binary": (
        lambda: O.SGD(0.1), "binary_crossentropy", "bin", 1e-6,
        lambda: ["binary_accuracy", "binary_crossentropy", "hinge", "squared_hinge", "poisson"]),
    "metrics_sparse": (
        lambda: O.SGD(0.1), "sparse_categorical_crossentropy", "sparse", 1e-6,
        lambda: ["sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
                 "sparse_categorical_crossentropy"]),
}


WEIGHTED_METRICS = {"weighted_metrics_binary": lambda: ["binary_accuracy", keras.metrics.AUC()]}

LOSS_WEIGHTS = {"loss_weights_list": [1.0, 0.3], "loss_weights_dict": {"b": 2.0, "a": 0.5}}


def data(kind, n):
    rng = np.random.default_rng(7)
    if kind == "emb":
        # Ids of 3 fields into the 40-row table, half of them from its first 4 rows.
        ids = np.where(rng.random((n, 3)) < 0.5, rng.integers(0, 4, (n, 3)),
                       rng.integers(0, 40, (n, 3)))
    elif kind == "emb_distinct":
        # Each batch's 24 ids distinct (16 of the 40 rows miss each batch).
        ids = np.concatenate([rng.permutation(40)[:BATCH * 3].reshape(BATCH, 3)
                              for _ in range(n // BATCH)])
    if kind.startswith("emb"):
        y = (np.sin(ids).sum(axis=1) + 0.1 * rng.normal(size=n)).astype("float32")
        return ids.astype("float32"), y.reshape(n, 1)
    x = rng.normal(size=(n, 4)).astype("float32")
    s = x @ np.array([0.5, -1.0, 0.25, 2.0], dtype="float32")
    if kind == "reg":
        y = (s + 0.1 * rng.normal(size=n)).astype("float32").reshape(n, 1)
    elif kind in ("bin", "bin_logits"):
        y = (s > 0).astype("float32").reshape(n, 1)
    elif kind in ("cat", "cat_logits"):
        y = np.eye(3, dtype="float32")[np.digitize(s, [-1.0, 1.0])]
    elif kind in ("sparse", "sparse_logits"):
        y = np.digitize(s, [-1.0, 1.0]).astype("float32")
    elif kind == "sparse_ignore":
        y = np.digitize(s, [-1.0, 1.0]).astype("float32")
        y[::5] = -1.0
    elif kind == "two":
        y = [(s + 0.1 * rng.normal(size=n)).astype("float32").reshape(n, 1),
             (x[:, 0] - x[:, 3]).astype("float32").reshape(n, 1)]
    elif kind == "pos":
        y = np.exp(0.3 * s).astype("float32").reshape(n, 1)
    elif kind == "hinge":
        y = np.where(s > 0, 1.0, -1.0).astype("float32").reshape(n, 1)
    else:
        raise ValueError(kind)
    return x, y


def model(kind):
    if kind.startswith("emb"):
        inputs = keras.Input((3,), name="ids")
        e = keras.layers.Embedding(40, 4, name="table")(inputs)
        h = keras.layers.Dense(5, activation="tanh", name="hidden")(
            keras.layers.Flatten(name="flat")(e))
        return keras.Model(inputs, keras.layers.Dense(1, name="out")(h), name="parity")
    units, act = {
        "reg": (1, None), "bin": (1, "sigmoid"), "bin_logits": (1, None),
        "cat": (3, "softmax"), "cat_logits": (3, None), "sparse": (3, "softmax"),
        "sparse_ignore": (3, "softmax"), "sparse_logits": (3, None), "two": (1, None),
        "pos": (1, "softplus"), "hinge": (1, "tanh"),
    }[kind]
    inputs = keras.Input((4,), name="x")
    h = keras.layers.Dense(5, activation="tanh", name="hidden")(inputs)
    if kind == "two":
        outs = [keras.layers.Dense(1, name=n)(h) for n in ("a", "b")]
        return keras.Model(inputs, outs, name="parity")
    out = keras.layers.Dense(units, activation=act, name="out")(h)
    return keras.Model(inputs, out, name="parity")


def save_labels(d, y):
    """y.npy, and y_1.npy for a second output."""
    for i, yi in enumerate(y if isinstance(y, list) else [y]):
        np.save(os.path.join(d, "y.npy" if i == 0 else f"y_{i}.npy"), yi)


def load_labels(d):
    y = [np.load(os.path.join(d, "y.npy"))]
    while os.path.exists(os.path.join(d, f"y_{len(y)}.npy")):
        y.append(np.load(os.path.join(d, f"y_{len(y)}.npy")))
    return y if len(y) > 1 else y[0]


def make(root):
    cases = {}
    only = os.environ.get("PARITY_ONLY")  # comma-separated case names, to rerun a few while coding
    for name, (optimizer, loss, kind, tol, *metrics) in CASES.items():
        if only and name not in only.split(","):
            continue
        d = os.path.join(root, name)
        os.makedirs(d, exist_ok=True)
        keras.utils.set_random_seed(1)
        m = model(kind)
        m.compile(optimizer=optimizer(), loss=loss() if callable(loss) else loss,
                  loss_weights=LOSS_WEIGHTS.get(name),
                  metrics=metrics[0]() if metrics else None,
                  weighted_metrics=WEIGHTED_METRICS[name]() if name in WEIGHTED_METRICS else None)
        m.run_eagerly = True  # tracing tf.functions costs more than these few steps
        x, y = data(kind, SAMPLES)
        np.save(os.path.join(d, "x.npy"), x)
        save_labels(d, y)
        m.save(os.path.join(d, "initial.keras"))
        h = m.fit(x, y, epochs=EPOCHS, batch_size=BATCH, shuffle=False, verbose=0)
        m.save(os.path.join(d, "python.keras"))
        # Per-output losses ("a_loss") included: the batches are all full, so eager and traced
        # Keras average them alike.
        cases[name] = {"tolerance": tol,
                       "logs": {k: float(v[-1]) for k, v in h.history.items()}}

    # Settings jkeras lacks, trained one epoch so the file holds optimizer state.
    d = os.path.join(root, "unsupported")
    os.makedirs(d, exist_ok=True)
    keras.utils.set_random_seed(1)
    m = model("bin")
    m.compile(optimizer=O.Lamb(0.01), loss=L.Dice(), metrics=["accuracy"])
    m.run_eagerly = True
    x, y = data("bin", SAMPLES)
    m.fit(x, y, epochs=1, batch_size=BATCH, shuffle=False, verbose=0)
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "y.npy"), y)
    np.save(os.path.join(d, "python_predictions.npy"), m.predict(x, verbose=0))
    m.save(os.path.join(d, "initial.keras"))

    # Never compiled: Keras 3.15 writes "compile_config": {}.
    d = os.path.join(root, "uncompiled")
    os.makedirs(d, exist_ok=True)
    keras.utils.set_random_seed(1)
    model("reg").save(os.path.join(d, "initial.keras"))

    with open(os.path.join(root, "cases.json"), "w") as f:
        json.dump({"epochs": EPOCHS, "batch_size": BATCH, "cases": cases}, f, indent=1)


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a skipped variable is a failure, not a warning
        m = keras.saving.load_model(path)
    m.run_eagerly = True
    return m


def state(m):
    weights = [np.asarray(v.numpy(), dtype="float64") for v in m.weights]
    opt = [np.asarray(v.numpy(), dtype="float64") for v in m.optimizer.variables]
    return weights, opt


def max_diff(a, b, what):
    if len(a) != len(b):
        return f"{what}: {len(a)} variables in Python's file, {len(b)} in Java's"
    worst = 0.0
    for i, (p, j) in enumerate(zip(a, b)):
        if p.shape != j.shape:
            return f"{what}[{i}]: shape {p.shape} in Python's file, {j.shape} in Java's"
        if p.size:
            # Absolute below 1, relative above: accumulators grow with the squared gradients.
            worst = max(worst, float(np.max(np.abs(p - j) / np.maximum(1.0, np.abs(p)))))
    return worst


def compare(pm, jm):
    pw, po = state(pm)
    jw, jo = state(jm)
    return {"weights": max_diff(pw, jw, "weights"), "optimizer": max_diff(po, jo, "optimizer"),
            "optimizer_variables": len(po)}


def check(root):
    with open(os.path.join(root, "cases.json")) as f:
        spec = json.load(f)
    out = {}
    for name in spec["cases"]:
        d = os.path.join(root, name)
        if not os.path.exists(os.path.join(d, "java.keras")):
            continue
        try:
            pm = load(os.path.join(d, "python.keras"))
            jm = load(os.path.join(d, "java.keras"))
            r = {"trained": compare(pm, jm)}
            x, y = np.load(os.path.join(d, "x.npy")), load_labels(d)
            for m in (pm, jm):
                m.fit(x, y, epochs=1, batch_size=spec["batch_size"], shuffle=False, verbose=0)
            r["continued"] = compare(pm, jm)
        except Exception as e:  # reported per case, so one failure does not hide the others
            r = {"error": f"{type(e).__name__}: {e}"}
        out[name] = r

    # The converted unsupported file: the original compile_config and optimizer state, compiling.
    d = os.path.join(root, "unsupported")
    converted = os.path.join(d, "converted.keras")
    if os.path.exists(converted):
        try:
            def compile_config(path):
                with zipfile.ZipFile(path) as z:
                    return json.loads(z.read("config.json"))["compile_config"]
            original, copy = os.path.join(d, "initial.keras"), converted
            om, cm = load(original), load(copy)
            r = {"same_compile_config": compile_config(original) == compile_config(copy),
                 "optimizer": type(cm.optimizer).__name__, "loss": type(cm.loss).__name__,
                 "loaded": compare(om, cm)}
            x, y = np.load(os.path.join(d, "x.npy")), np.load(os.path.join(d, "y.npy"))
            for m in (om, cm):
                m.fit(x, y, epochs=1, batch_size=BATCH, shuffle=False, verbose=0)
            r["continued"] = compare(om, cm)
        except Exception as e:
            r = {"error": f"{type(e).__name__}: {e}"}
        out["unsupported"] = r
    print(json.dumps(out))


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
