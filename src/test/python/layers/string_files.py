"""Python Keras's side of the string preprocessing tests (StringLayersInteropTest): StringLookup,
IntegerLookup with an adapted vocabulary, and Hashing on strings.

Usage:
  string_files.py make DIR   one small model per case (below): NAME.keras, NAME.x.npy (the input,
                             NumPy <U text or int64), NAME.xs.npy (the same text as |S bytes),
                             NAME.pred.npy (Keras's predictions), NAME.vocab.json (the lookup
                             layer's get_vocabulary(), when it has one), NAME.adapt.npy (the data
                             an adapted layer saw)
  string_files.py check DIR  loads what Java wrote: java_NAME.keras (NAME.keras loaded and saved
                             by jkeras) must predict NAME.pred.npy, keep the lookup config and
                             carry the same assets bytes; jb_NAME.keras (built and adapted with
                             jkeras's API) must predict jb_NAME.pred.npy and hold the same lookup
                             config and assets as NAME.keras; the SavedModel folders sm_NAME that
                             Java exported must predict NAME.pred.npy through
                             tf.saved_model.load(...).signatures["serving_default"]

Every model names its lookup or hashing layer "lookup". Any warning while loading fails.
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
import tensorflow as tf  # noqa: E402
from keras import layers as L  # noqa: E402

TOLERANCE = 1e-5
VOCAB = ["red", "green", "blue", "été", "日本"]
TEXT = np.array([
    ["red", "green", "blue"], ["été", "", "pink"], ["日本", "red", "red"], ["", "", "?"],
    ["blue", "blue", "zzz"], ["green", "été", "日本"],
])
WORDS = ("the cat sat on the mat and the dog ate the cat food while a bird sang on the "
         "roof of the red house").split()


def text(rows, width, seed):
    rng = np.random.default_rng(seed)
    pool = WORDS + ["", "unseen", "ünïcode", "日本"]
    return np.array([[pool[i] for i in rng.integers(0, len(pool), width)] for _ in range(rows)])


def embed_head(units=2, activation=None):
    return lambda n: [L.Embedding(n, 3, name="embedding"), L.GlobalAveragePooling1D(name="pool"),
                      L.Dense(units, activation=activation, name="dense")]


# name -> (input dtype, x, layer factory, adapt data or None, head factory taking the vocab size)
CASES = {
    "given": ("string", TEXT, lambda: L.StringLookup(vocabulary=VOCAB, name="lookup"), None,
              embed_head()),
    "adapted_mask_oov": ("string", text(8, 5, 1),
                         lambda: L.StringLookup(mask_token="", num_oov_indices=2, name="lookup"),
                         text(30, 4, 2), embed_head()),
    "oov_salt": ("string", text(8, 4, 3),
                 lambda: L.StringLookup(vocabulary=["the", "cat", "mat"], num_oov_indices=3,
                                        oov_token="?", salt=[5, 9], name="lookup"),
                 None, embed_head(1)),
    "one_hot": ("string", TEXT[:, :1],
                lambda: L.StringLookup(vocabulary=VOCAB, num_oov_indices=2, output_mode="one_hot",
                                       name="lookup"), None, None),
    "multi_hot_mask": ("string", TEXT,
                       lambda: L.StringLookup(vocabulary=VOCAB, mask_token="",
                                              output_mode="multi_hot", name="lookup"), None, None),
    "count_adapted": ("string", text(6, 5, 4),
                      lambda: L.StringLookup(max_tokens=6, output_mode="count", name="lookup"),
                      text(20, 5, 5), None),
    "tf_idf_given": ("string", TEXT,
                     lambda: L.StringLookup(vocabulary=VOCAB, idf_weights=[0.5, 1.0, 1.5, 2.0, 2.5],
                                            output_mode="tf_idf", name="lookup"), None, None),
    "tf_idf_adapted": ("string", text(5, 4, 8),
                       lambda: L.StringLookup(output_mode="tf_idf", name="lookup"),
                       text(12, 4, 9), None),
    "hashing": ("string", TEXT, lambda: L.Hashing(16, output_mode="count", name="lookup"), None,
                None),
    "hashing_salt_mask": ("string", TEXT,
                          lambda: L.Hashing(10, salt=7, mask_value="", name="lookup"), None,
                          lambda n: [L.Embedding(10, 3, name="embedding"),
                                     L.GlobalAveragePooling1D(name="pool"),
                                     L.Dense(1, name="dense")]),
    "integer_adapted": ("int64", np.array([[3, 0, 7], [7, 7, 12], [40, 3, 0]], dtype=np.int64),
                        lambda: L.IntegerLookup(mask_token=0, output_mode="multi_hot",
                                                name="lookup"),
                        np.array([[3, 7, 7, 0], [12, 3, 7, 5]], dtype=np.int64), None),
    "text_classifier": ("string", text(10, 6, 6),
                        lambda: L.StringLookup(mask_token="", name="lookup"), text(50, 6, 7),
                        lambda n: [L.Embedding(n, 8, name="embedding"),
                                   L.GlobalAveragePooling1D(name="pool"),
                                   L.Dense(1, activation="sigmoid", name="dense")]),
}


def run(model, x):
    return np.asarray(model(tf.constant(x)), dtype=np.float32)


def assets(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("assets/")}


def lookup_config(path):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
    for layer in config["config"]["layers"]:
        if layer["config"]["name"] == "lookup":
            return {k: v for k, v in layer["config"].items() if k != "dtype"}
    raise AssertionError(f"{path}: no layer named lookup")


def make(out):
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(7)
    for name, (dtype, x, factory, adapt, head) in CASES.items():
        layer = factory()
        if adapt is not None:
            layer.adapt(tf.constant(adapt))
            np.save(os.path.join(out, name + ".adapt.npy"), adapt)
        inp = keras.Input(shape=x.shape[1:], dtype=dtype, name="words")
        y = layer(inp)
        if head is not None:
            size = layer.vocabulary_size() if hasattr(layer, "vocabulary_size") else None
            for h in head(size):
                y = h(y)
        model = keras.Model(inp, y, name=name)
        model.save(os.path.join(out, name + ".keras"))
        np.save(os.path.join(out, name + ".x.npy"), x)
        if dtype == "string":
            np.save(os.path.join(out, name + ".xs.npy"), np.char.encode(x, "utf-8"))
        np.save(os.path.join(out, name + ".pred.npy"), run(model, x))
        if hasattr(layer, "get_vocabulary"):
            vocab = [int(v) if isinstance(v, (int, np.integer)) else str(v)
                     for v in layer.get_vocabulary()]
            with open(os.path.join(out, name + ".vocab.json"), "w", encoding="utf-8") as f:
                json.dump(vocab, f, ensure_ascii=False)
    print("made", len(CASES))


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return keras.saving.load_model(path)


def close(a, b, what):
    if a.shape != b.shape or not np.allclose(a, b, atol=TOLERANCE, rtol=0):
        raise AssertionError(f"{what}: {a.tolist()} != {b.tolist()}")


def check(out):
    checked = 0
    for name, (dtype, x, _, _, _) in CASES.items():
        original = os.path.join(out, name + ".keras")
        for prefix, expected in (("java_", name + ".pred.npy"), ("jb_", "jb_" + name + ".pred.npy")):
            path = os.path.join(out, prefix + name + ".keras")
            if not os.path.exists(path):
                continue
            model = load(path)
            close(run(model, x), np.load(os.path.join(out, expected)), path)
            if lookup_config(path) != lookup_config(original):
                raise AssertionError(
                    f"{path}: lookup config {lookup_config(path)} != {lookup_config(original)}")
            if assets(path) != assets(original):
                raise AssertionError(f"{path}: assets {assets(path)} != {assets(original)}")
            checked += 1
        sm = os.path.join(out, "sm_" + name)
        if os.path.isdir(sm):
            fn = tf.saved_model.load(sm).signatures["serving_default"]
            result = fn(**{fn.structured_input_signature[1].popitem()[0]: tf.constant(x)})
            got = np.asarray(list(result.values())[0], dtype=np.float32)
            close(got, np.load(os.path.join(out, name + ".pred.npy")), sm)
            checked += 1
    print("checked", checked)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
