"""Python Keras's side of the .keras / legacy .h5 model file tests (KerasModelFileInteropTest).

Usage:
  keras_model_files.py make DIR    writes the files Java loads (see make())
  keras_model_files.py check DIR   checks the files Java wrote (see check())

The architectures and the data are the twins of ModelFileFixtures.java: data comes from integer
formulas both sides compute, so only model files, predictions (raw little-endian float32) and
iteration counts (text) travel. Any warning while loading a model fails the script: Keras warns
when it skips variables (for example optimizer state that does not fit), and a silent skip is what
these tests must catch.
"""
import json
import os
import sys
import warnings
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                    "python-interop"))

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

import jkeras_fm  # noqa: E402,F401  (registers jkeras>FMLayer)
from jkeras_fm import FMLayer  # noqa: E402

ARCHS = ["fm", "dense", "sequential"]
TRAIN, EVAL, STEPS, VOCAB = 64, 16, 20, 100
TOLERANCE = 1e-5


# ---- architectures and data (twins of ModelFileFixtures.java) --------------------------------

def token_model(fm, interaction="fm"):
    tokens = keras.Input((STEPS,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(VOCAB, 8, name="embedding")(tokens)
    x = keras.layers.Conv1D(16, 3, activation="relu", name="conv1d")(x)
    x = keras.layers.GlobalMaxPooling1D(name="global_max_pooling1d")(x)
    if fm:
        x = FMLayer(8, 4, interaction=interaction, name="fm_layer")(x)
    else:
        x = keras.layers.Dense(8, activation="relu", name="hidden")(x)
    x = keras.layers.Dropout(0.5, name="dropout")(x)
    out = keras.layers.Dense(1, activation="sigmoid", name="score")(x)
    return keras.Model(tokens, out, name="fm_model" if fm else "dense_model")


def sequential():
    return keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(4, activation="relu", name="hidden"),
            keras.layers.Dropout(0.1, name="drop"),
            keras.layers.Dense(1, activation="sigmoid", name="score"),
        ],
        name="stack",
    )


def shared_towers():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    shared = keras.layers.Dense(3, activation="relu", name="shared")
    both = keras.layers.Concatenate(name="concat")([shared(a), shared(b)])
    x = keras.layers.Dropout(0.2, name="drop")(both)
    out = keras.layers.Dense(1, activation="sigmoid", name="score")(x)
    return keras.Model([a, b], out, name="two_towers")


def build(arch):
    return {"fm": lambda: token_model(True), "dense": lambda: token_model(False),
            "sequential": sequential, "shared": shared_towers}[arch]()


def tokens(n, offset):
    i = np.arange(n)[:, None]
    j = np.arange(STEPS)[None, :]
    return ((i * 31 + j * 17 + offset) % VOCAB).astype("int32")


def features(n, offset):
    i = np.arange(n)[:, None]
    j = np.arange(6)[None, :]
    return (((i * 7 + j * 3 + offset) % 11) / 10.0 - 0.5).astype("float32")


def labels(n):
    return (((np.arange(n) * 13) % 7) < 3).astype("float32")


def inputs(arch, n, offset):
    if arch == "shared":
        return [features(n, offset)[:, 0:4], features(n, offset + 1)[:, 2:6]]
    return features(n, offset) if arch == "sequential" else tokens(n, offset)


def train_x(arch):
    return inputs(arch, TRAIN, 0)


def eval_x(arch):
    return inputs(arch, EVAL, 5)


def write_f32(path, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(path)


def read_f32(path):
    return np.fromfile(path, dtype="<f4")


def load_strictly(path):
    """keras.saving.load_model, failing on any warning (a skipped variable, for example)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = keras.saving.load_model(path)
    relevant = [w for w in caught if "skip" in str(w.message).lower()
                or "could not" in str(w.message).lower()
                or "mismatch" in str(w.message).lower()]
    if relevant:
        sys.exit(f"Keras warned while loading {path}: "
                 + " | ".join(str(w.message) for w in relevant))
    return model


# ---- make: the files Java loads ---------------------------------------------------------------

def make(workdir):
    keras.utils.set_random_seed(1)
    for arch in ARCHS:
        model = build(arch)
        model.compile(keras.optimizers.Adam(), "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_x(arch), labels(TRAIN), epochs=2, batch_size=32, verbose=0)
        model.save(os.path.join(workdir, f"py_{arch}.keras"))
        write_f32(os.path.join(workdir, f"py_{arch}.pred.f32"),
                  model.predict(eval_x(arch), verbose=0))
        with open(os.path.join(workdir, f"py_{arch}.iter.txt"), "w") as f:
            f.write(str(int(model.optimizer.iterations.numpy())))
        if arch == "fm":
            # Keras 3 still writes the legacy full-model HDF5 for a .h5 name.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.save(os.path.join(workdir, "py_fm.h5"))
    make_keras2_fm(workdir)
    make_keras2_sequential(workdir)
    make_layer_configs(workdir)
    print("made", sorted(os.listdir(workdir)))


def make_layer_configs(workdir):
    """layers.json: how Keras serializes each layer jkeras has, with defaults and without."""
    L, I, R, C = keras.layers, keras.initializers, keras.regularizers, keras.constraints
    layers = [
        L.Dense(5),
        L.Dense(3, activation="tanh", use_bias=False, kernel_initializer=I.HeNormal(seed=3),
                bias_initializer=I.Constant(0.5), kernel_regularizer=R.L1L2(0.01, 0.02),
                bias_regularizer="l2", activity_regularizer=R.L1(0.1),
                kernel_constraint=C.MaxNorm(2.0), bias_constraint=C.NonNeg(),
                trainable=False, name="fancy_dense"),
        L.Embedding(50, 4),
        L.Embedding(10, 3, embeddings_initializer="glorot_normal",
                    embeddings_regularizer=R.L2(1e-4), embeddings_constraint=C.UnitNorm(),
                    activity_regularizer=R.L2(0.5), name="fancy_embedding"),
        L.Conv1D(4, 3),
        L.Conv1D(2, 5, strides=2, padding="same", use_bias=False),
        L.Conv1D(3, 2, padding="causal", dilation_rate=2, activation="gelu",
                 kernel_regularizer="l1", activity_regularizer="l2"),
        L.Dropout(0.3),
        L.Dropout(0.2, noise_shape=(None, 1, None), seed=7),
        L.GlobalMaxPooling1D(),
        L.GlobalMaxPooling1D(data_format="channels_first", keepdims=True),
        L.GlobalAveragePooling1D(keepdims=True),
        L.Flatten(),
        L.Flatten(data_format="channels_first"),
        L.Concatenate(),
        L.Concatenate(axis=1),
        L.Activation("softmax"),
        L.Activation("leaky_relu"),
        L.InputLayer(shape=(7,), dtype="int64", name="ids"),
        L.InputLayer(batch_shape=(None, 3, 2)),
        FMLayer(4, 2, activation="relu", interaction="seed"),
    ]
    entries = [keras.saving.serialize_keras_object(layer) for layer in layers]
    with open(os.path.join(workdir, "layers.json"), "w") as f:
        json.dump(entries, f)


def fixed(text):
    """A fixed-length byte string, as Keras 2 (h5py 2) stored string attributes."""
    return np.bytes_(text.encode("utf8"))


def fixed_list(items):
    return np.array([s.encode("utf8") for s in items], dtype=f"S{max(len(s) for s in items)}")


def glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


def zeros():
    return {"class_name": "Zeros", "config": {}}


def dense_config(name, units, activation, first_shape=None):
    config = {"name": name, "trainable": True, "dtype": "float32", "units": units,
              "activation": activation, "use_bias": True, "kernel_initializer": glorot(),
              "bias_initializer": zeros(), "kernel_regularizer": None, "bias_regularizer": None,
              "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    if first_shape is not None:
        config = {"name": name, "trainable": True, "batch_input_shape": first_shape,
                  **{k: v for k, v in config.items() if k not in ("name", "trainable")}}
    return config


def write_keras2_weights(f, model, layer_names):
    """/model_weights in Keras 2's layout: names ending in :0, fixed-length strings."""
    root = f.create_group("model_weights")
    root.attrs["layer_names"] = fixed_list(list(layer_names.values()))
    root.attrs["backend"] = fixed("tensorflow")
    root.attrs["keras_version"] = fixed("2.10.0")
    for layer in model.layers:
        name = layer_names[layer.name]
        g = root.create_group(name)
        names = [f"{name}/{w.name}:0" for w in layer.weights]
        if not names:
            g.attrs["weight_names"] = np.array([], dtype="float64")  # as Keras 2 wrote it
            continue
        g.attrs["weight_names"] = fixed_list(names)
        for weight_name, w in zip(names, layer.weights):
            g.create_dataset(weight_name, data=w.numpy())
    return root


def make_keras2_fm(workdir):
    """The seed's FM model as tf.keras 2.10 saved it: kfm>FMLayer (the "seed" formula), Keras 2
    node lists, batch_input_shape, fixed-length strings, Adam weights named Adam/<weight>/m:0."""
    keras.utils.set_random_seed(2)
    model = token_model(True, interaction="seed")
    model.compile(keras.optimizers.Adam(), "binary_crossentropy", metrics=["accuracy"])
    model.fit(train_x("fm"), labels(TRAIN), epochs=1, batch_size=32, verbose=0)  # 2 steps
    names = {"tokens": "input_1", "embedding": "embedding", "conv1d": "conv1d",
             "global_max_pooling1d": "global_max_pooling1d", "fm_layer": "fm_layer",
             "dropout": "dropout", "score": "dense"}

    def node(inbound):
        return [[[inbound, 0, 0, {}]]]

    layers = [
        {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
         "config": {"batch_input_shape": [None, STEPS], "dtype": "int32", "sparse": False,
                    "ragged": False, "name": "input_1"}},
        {"class_name": "Embedding", "name": "embedding", "inbound_nodes": node("input_1"),
         "config": {"name": "embedding", "trainable": True, "dtype": "float32",
                    "input_dim": VOCAB, "output_dim": 8,
                    "embeddings_initializer": {"class_name": "RandomUniform", "config": {
                        "minval": -0.05, "maxval": 0.05, "seed": None}},
                    "embeddings_regularizer": None, "activity_regularizer": None,
                    "embeddings_constraint": None, "mask_zero": False,
                    "input_length": STEPS}},
        {"class_name": "Conv1D", "name": "conv1d", "inbound_nodes": node("embedding"),
         "config": {"name": "conv1d", "trainable": True, "dtype": "float32", "filters": 16,
                    "kernel_size": [3], "strides": [1], "padding": "valid",
                    "data_format": "channels_last", "dilation_rate": [1], "groups": 1,
                    "activation": "relu", "use_bias": True, "kernel_initializer": glorot(),
                    "bias_initializer": zeros(), "kernel_regularizer": None,
                    "bias_regularizer": None, "activity_regularizer": None,
                    "kernel_constraint": None, "bias_constraint": None}},
        {"class_name": "GlobalMaxPooling1D", "name": "global_max_pooling1d",
         "inbound_nodes": node("conv1d"),
         "config": {"name": "global_max_pooling1d", "trainable": True, "dtype": "float32",
                    "data_format": "channels_last", "keepdims": False}},
        {"class_name": "kfm>FMLayer", "name": "fm_layer",
         "inbound_nodes": node("global_max_pooling1d"),
         "config": {"name": "fm_layer", "trainable": True, "dtype": "float32",
                    "output_dim": 8, "factor_order": 4, "activation": "linear"}},
        {"class_name": "Dropout", "name": "dropout", "inbound_nodes": node("fm_layer"),
         "config": {"name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.5,
                    "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "name": "dense", "inbound_nodes": node("dropout"),
         "config": dense_config("dense", 1, "sigmoid")},
    ]
    model_config = {"class_name": "Functional", "config": {
        "name": "model", "layers": layers, "input_layers": [["input_1", 0, 0]],
        "output_layers": [["dense", 0, 0]]}}
    training_config = {
        "loss": "binary_crossentropy",
        "metrics": [[{"class_name": "MeanMetricWrapper", "config": {
            "name": "accuracy", "dtype": "float32", "fn": "binary_accuracy"}}]],
        "weighted_metrics": None, "loss_weights": None,
        "optimizer_config": {"class_name": "Adam", "config": {
            "name": "Adam", "learning_rate": 0.0010000000474974513, "decay": 0.0,
            "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}}}
    path = os.path.join(workdir, "k2_fm.h5")
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = fixed("2.10.0")
        f.attrs["backend"] = fixed("tensorflow")
        f.attrs["model_config"] = fixed(json.dumps(model_config))
        f.attrs["training_config"] = fixed(json.dumps(training_config))
        write_keras2_weights(f, model, names)
        # OptimizerV2's layout: iter, then every weight's m, then every weight's v.
        opt = model.optimizer
        trainable = model.trainable_variables
        # Keras 3 keeps each weight's momentum and velocity side by side after the two scalars.
        opt_names = ["Adam/iter:0"]
        opt_values = [np.array(int(opt.iterations.numpy()), dtype="int64")]
        for slot, kind in ((0, "m"), (1, "v")):
            for i, v in enumerate(trainable):
                layer_name, weight_name = v.path.split("/")[-2:]
                opt_names.append(f"Adam/{names[layer_name]}/{weight_name}/{kind}:0")
                opt_values.append(opt.variables[2 + 2 * i + slot].numpy())
        g = f.create_group("optimizer_weights")
        g.attrs["weight_names"] = fixed_list(opt_names)
        for name, value in zip(opt_names, opt_values):
            g.create_dataset(name, data=value)
    write_f32(os.path.join(workdir, "k2_fm.pred.f32"), model.predict(eval_x("fm"), verbose=0))
    with open(os.path.join(workdir, "k2_fm.iter.txt"), "w") as f:
        f.write(str(int(model.optimizer.iterations.numpy())))


def make_keras2_sequential(workdir):
    """A Keras 2 Sequential without an InputLayer entry (batch_input_shape on its first layer),
    uncompiled, with a variable-length model_config string."""
    keras.utils.set_random_seed(3)
    model = sequential()
    names = {"hidden": "dense", "drop": "dropout", "score": "dense_1"}
    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "Dense", "config": dense_config("dense", 4, "relu", [None, 6])},
        {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True,
                                             "dtype": "float32", "rate": 0.1,
                                             "noise_shape": None, "seed": None}},
        {"class_name": "Dense", "config": dense_config("dense_1", 1, "sigmoid")},
    ]}}
    path = os.path.join(workdir, "k2_seq.h5")
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = fixed("2.10.0")
        f.attrs["backend"] = fixed("tensorflow")
        f.attrs["model_config"] = json.dumps(model_config)  # variable-length
        write_keras2_weights(f, model, names)
    write_f32(os.path.join(workdir, "k2_seq.pred.f32"),
              model.predict(eval_x("sequential"), verbose=0))


# ---- check: the files Java wrote --------------------------------------------------------------

def normalized(value):
    """A config without Python object ids, floats rounded to float32 (Keras writes the float32
    learning rate as a double, jkeras the double it was given)."""
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, float):
        return float(np.float32(value))
    return value


def config_differences(java, python, path, out):
    """Every place where two configs differ, key order included."""
    if type(java) is not type(python):
        out.append(f"{path}: Java {java!r}, Keras {python!r}")
    elif isinstance(java, dict):
        if list(java) != list(python):
            out.append(f"{path}: Java keys {list(java)}, Keras keys {list(python)}")
        for k in java:
            if k in python:
                config_differences(java[k], python[k], f"{path}.{k}", out)
    elif isinstance(java, list):
        if len(java) != len(python):
            out.append(f"{path}: Java {java!r}, Keras {python!r}")
        else:
            for i, (a, b) in enumerate(zip(java, python)):
                config_differences(a, b, f"{path}[{i}]", out)
    elif java != python:
        out.append(f"{path}: Java {java!r}, Keras {python!r}")


# Differences that are expected: jkeras writes module null for FMLayer (Python names the module
# that registered it), optimizers and a Sequential's input layer get automatic names.
def allowed(arch, difference):
    return (".compile_config.optimizer.config.name:" in difference
            or difference.startswith("sequential.config.layers[0].config.name:")
            or difference.endswith(".module: Java None, Keras 'jkeras_fm'"))


def compare_config(arch, java_path, failures):
    python_model = build(arch)
    python_model.compile(keras.optimizers.Adam(), "binary_crossentropy", metrics=["accuracy"])
    # Through JSON, as saving does (tuples become lists).
    expected = normalized(json.loads(json.dumps(keras.saving.serialize_keras_object(python_model))))
    with zipfile.ZipFile(java_path) as z:
        actual = normalized(json.loads(z.read("config.json")))
        metadata = json.loads(z.read("metadata.json"))
        stored = {i.filename: i.compress_type for i in z.infolist()}
    if metadata.get("keras_version") != keras.__version__:
        failures.append(f"{arch}: metadata.json {metadata}")
    if stored != {"metadata.json": 0, "config.json": 0, "model.weights.h5": 0}:
        failures.append(f"{arch}: members and compression {stored}")
    out = []
    config_differences(actual, expected, arch, out)
    out = [d for d in out if not allowed(arch, d)]
    failures.extend(f"config.json differs from Keras's: {d}" for d in out)
    return len(out)


def h5_datasets(keras_path):
    """Every dataset of a .keras file's model.weights.h5: path -> (dtype, shape, bytes)."""
    out = {}
    with zipfile.ZipFile(keras_path) as z, z.open("model.weights.h5") as member:
        import io
        with h5py.File(io.BytesIO(member.read()), "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    a = obj[()]
                    a = np.asarray(a)
                    out[name] = (a.dtype.str, a.shape, a.tobytes())
            f.visititems(visit)
    return out


def check(workdir):
    failures = []
    for arch in ARCHS + ["shared"]:
        # Java -> Python: the same config as Keras writes, predictions, optimizer iteration, and
        # training continues.
        path = os.path.join(workdir, f"java_{arch}.keras")
        config_diffs = compare_config(arch, path, failures)
        model = load_strictly(path)
        expected = read_f32(os.path.join(workdir, f"java_{arch}.pred.f32"))
        pred = model.predict(eval_x(arch), verbose=0).reshape(-1)
        diff = float(np.max(np.abs(pred - expected)))
        if not diff <= TOLERANCE:
            failures.append(f"{arch}: Python's predictions differ from Java's by {diff}")
        java_iter = int(open(os.path.join(workdir, f"java_{arch}.iter.txt")).read())
        if int(model.optimizer.iterations.numpy()) != java_iter:
            failures.append(f"{arch}: optimizer iterations {int(model.optimizer.iterations)}"
                            f" after loading, Java had {java_iter}")
        if model.compiled_loss is None and not model.compiled:
            failures.append(f"{arch}: not compiled after loading")
        history = model.fit(train_x(arch), labels(TRAIN), epochs=1, batch_size=32, verbose=0)
        if int(model.optimizer.iterations.numpy()) != java_iter + 2:
            failures.append(f"{arch}: after one epoch (2 steps) iterations are"
                            f" {int(model.optimizer.iterations)}, expected {java_iter + 2}")
        if not np.isfinite(history.history["loss"][0]):
            failures.append(f"{arch}: loss {history.history['loss']}")
        print(f"java_{arch}.keras: {config_diffs} config differences, max diff {diff:.2e},"
              f" iterations {java_iter} -> {int(model.optimizer.iterations)}")
        if arch == "shared":
            continue

        # Python -> Java -> Python: every array bit for bit.
        original = h5_datasets(os.path.join(workdir, f"py_{arch}.keras"))
        resaved = h5_datasets(os.path.join(workdir, f"rt_{arch}.keras"))
        if sorted(original) != sorted(resaved):
            failures.append(f"{arch}: round trip has datasets {sorted(resaved)},"
                            f" the original {sorted(original)}")
        for name in sorted(set(original) & set(resaved)):
            if original[name] != resaved[name]:
                failures.append(f"{arch}: {name} changed in the round trip "
                                f"({original[name][:2]} -> {resaved[name][:2]})")
        a = load_strictly(os.path.join(workdir, f"py_{arch}.keras"))
        b = load_strictly(os.path.join(workdir, f"rt_{arch}.keras"))
        for va, vb in zip(a.weights + a.optimizer.variables, b.weights + b.optimizer.variables):
            x, y = np.asarray(va.numpy()), np.asarray(vb.numpy())
            if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                failures.append(f"{arch}: {va.path} differs after the round trip")
        if len(a.optimizer.variables) != len(b.optimizer.variables) or \
                len(a.optimizer.variables) <= 2:
            failures.append(f"{arch}: optimizer variables {len(a.optimizer.variables)} vs"
                            f" {len(b.optimizer.variables)}")
        print(f"rt_{arch}.keras: {len(resaved)} arrays identical to py_{arch}.keras")
    if failures:
        sys.exit("FAILED:\n" + "\n".join(failures))
    print("all checks passed")


if __name__ == "__main__":
    command, directory = sys.argv[1], sys.argv[2]
    {"make": make, "check": check}[command](directory)
