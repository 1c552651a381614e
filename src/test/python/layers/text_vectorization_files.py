"""Python Keras's side of TextVectorizationInteropTest.

Usage:
  text_vectorization_files.py make DIR   one small model per case (below): NAME.keras, NAME.x.npy
                                         (the input, NumPy <U text), NAME.xs.npy (the same text
                                         as |S bytes), NAME.pred.npy (Keras's predictions as
                                         float32), NAME.vocab.json (get_vocabulary()),
                                         adapt.npy (the texts adapted layers saw); for the text
                                         classifier also trained.pred.npy and trained.loss.npy
                                         (one epoch of SGD in one batch from the saved weights)
  text_vectorization_files.py check DIR  loads what Java wrote: java_NAME.keras (NAME.keras loaded
                                         and saved by jkeras) must predict NAME.pred.npy;
                                         jb_NAME.keras (built and adapted with jkeras's API) must
                                         predict jb_NAME.pred.npy; both must hold the same
                                         TextVectorization config and assets bytes as NAME.keras;
                                         the SavedModel folder sm_text_classifier must predict
                                         text_classifier.pred.npy

Every model names its TextVectorization layer "vectorize". Any warning while loading fails.
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

# Punctuation, upper case, non-ASCII (which tf.strings.lower leaves alone), empty strings, runs of
# whitespace, and rows longer and shorter than the sequence lengths below.
TEXT = np.array([
    "The cat sat on the mat.",
    "HELLO, World!! it's 5 o'clock -- time_to go; now?",
    "",
    "Ärger über Öl: café NAÏVE 日本語 テキスト ÉCOLE école",
    "a b c d e f g h i j k l m n o p",
    "   spaces   and\ttabs\nnewline  ",
    "dog",
    "x-ray e-mail (parens) [brackets] {braces} back\\slash 'quote' \"dq\" a+b=c 50% #tag @me",
    "the the THE The tHe",
    "Straße STRASSE straße ß",
])

ADAPT = np.array([
    "The cat sat on the mat.",
    "The dog sat on the log!",
    "A cat, a dog, and a bird.",
    "über Über ÜBER café Café",
    "It's time: the end -- or not?",
    "日本語 テキスト 日本語",
    "the quick brown fox jumps over the lazy dog",
    "e-mail x-ray e-mail",
    "",
    "zebra yak xylophone",
])

VOCAB = ["the", "cat", "dog", "über", "café", "日本語", "sat", "mat"]

PRETOKENIZED = np.array([
    ["The", "cat", "über"], ["", "dog", "Café"], ["日本語", "sat", "mat."], ["x", "", ""],
])


def classifier_head(n):
    return [L.Embedding(n, 8, name="embedding"), L.GlobalAveragePooling1D(name="pool"),
            L.Dense(1, activation="sigmoid", name="dense")]


# name -> (x, input shape, layer factory, adapted?, head factory taking the vocabulary size)
CASES = {
    "default_adapted": (TEXT[:, None], (1,),
                        lambda: L.TextVectorization(max_tokens=30, output_sequence_length=6,
                                                    name="vectorize"), True,
                        lambda n: [L.Embedding(n, 3, name="embedding"),
                                   L.GlobalAveragePooling1D(name="pool"),
                                   L.Dense(2, name="dense")]),
    "int_longest_row": (TEXT, (), lambda: L.TextVectorization(name="vectorize"), True, None),
    "given_lower": (TEXT[:, None], (1,),
                    lambda: L.TextVectorization(standardize="lower", vocabulary=VOCAB,
                                                output_sequence_length=4, name="vectorize"),
                    False, None),
    "strip_character": (TEXT, (),
                        lambda: L.TextVectorization(standardize="strip_punctuation",
                                                    split="character", max_tokens=40,
                                                    output_sequence_length=12, name="vectorize"),
                        True, None),
    "ngrams_count": (TEXT[:, None], (1,),
                     lambda: L.TextVectorization(ngrams=2, output_mode="count", max_tokens=25,
                                                 name="vectorize"), True, None),
    "ngrams_tuple_multi_hot": (TEXT, (),
                               lambda: L.TextVectorization(ngrams=(1, 3), output_mode="multi_hot",
                                                           max_tokens=60, pad_to_max_tokens=True,
                                                           name="vectorize"), True, None),
    "tf_idf_adapted": (TEXT, (), lambda: L.TextVectorization(output_mode="tf_idf",
                                                             name="vectorize"), True, None),
    "tf_idf_given": (TEXT[:, None], (1,),
                     lambda: L.TextVectorization(output_mode="tf_idf", vocabulary=VOCAB,
                                                 idf_weights=[0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4],
                                                 name="vectorize"), False, None),
    "pretokenized": (PRETOKENIZED, (3,),
                     lambda: L.TextVectorization(standardize=None, split=None, vocabulary=VOCAB,
                                                 output_sequence_length=5, name="vectorize"),
                     False, None),
    "vocabulary_file": (TEXT[:, None], (1,),
                        lambda out: L.TextVectorization(vocabulary=os.path.join(out, "vocab.txt"),
                                                        output_sequence_length=5,
                                                        name="vectorize"), False, None),
    "whole_strings": (TEXT[:, None], (1,),
                      lambda: L.TextVectorization(standardize="lower", split=None,
                                                  output_mode="multi_hot", name="vectorize"),
                      True, None),
    "text_classifier": (TEXT[:, None], (1,),
                        lambda: L.TextVectorization(max_tokens=50, output_sequence_length=8,
                                                    name="vectorize"), True, classifier_head),
}

LABELS = np.array([1, 0, 0, 1, 1, 0, 1, 0, 1, 0], dtype=np.float32)


def run(model, x):
    return np.asarray(model(tf.constant(x)), dtype=np.float32)


def assets(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("assets/")}


def layer_config(path):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
    for layer in config["config"]["layers"]:
        if layer["config"]["name"] == "vectorize":
            return layer["config"], layer.get("build_config")
    raise AssertionError(f"{path}: no layer named vectorize")


def make(out):
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(7)
    np.save(os.path.join(out, "adapt.npy"), ADAPT)
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(VOCAB) + "\n")
    for name, (x, shape, factory, adapted, head) in CASES.items():
        layer = factory(out) if name == "vocabulary_file" else factory()
        if adapted:
            layer.adapt(ADAPT)
        inp = keras.Input(shape=shape, dtype="string", name="text")
        y = layer(inp)
        if head is not None:
            for h in head(layer.vocabulary_size()):
                y = h(y)
        model = keras.Model(inp, y, name=name)
        model.save(os.path.join(out, name + ".keras"))
        np.save(os.path.join(out, name + ".x.npy"), x)
        np.save(os.path.join(out, name + ".xs.npy"), np.char.encode(x, "utf-8"))
        np.save(os.path.join(out, name + ".pred.npy"), run(model, x))
        with open(os.path.join(out, name + ".vocab.json"), "w", encoding="utf-8") as f:
            json.dump([str(v) for v in layer.get_vocabulary()], f, ensure_ascii=False)
    trained = keras.saving.load_model(os.path.join(out, "text_classifier.keras"))
    trained.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy")
    x = tf.constant(CASES["text_classifier"][0])
    history = trained.fit(x, LABELS, batch_size=len(LABELS), epochs=1, shuffle=False, verbose=0)
    np.save(os.path.join(out, "labels.npy"), LABELS)
    np.save(os.path.join(out, "trained.loss.npy"),
            np.array(history.history["loss"], dtype=np.float32))
    np.save(os.path.join(out, "trained.pred.npy"), run(trained, x))
    print("made", len(CASES))


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return keras.saving.load_model(path)


def close(a, b, what):
    if a.shape != b.shape or not np.allclose(a, b, atol=TOLERANCE, rtol=0):
        raise AssertionError(f"{what}: {a.tolist()} != {b.tolist()}")


def without_dtype(config):
    layer, build = config
    return {k: v for k, v in layer.items() if k != "dtype"}, build


def check(out):
    checked = 0
    for name, (x, _, _, _, _) in CASES.items():
        original = os.path.join(out, name + ".keras")
        for prefix, expected in (("java_", name + ".pred.npy"), ("jb_", "jb_" + name + ".pred.npy")):
            path = os.path.join(out, prefix + name + ".keras")
            if not os.path.exists(path):
                continue
            model = load(path)
            close(run(model, x), np.load(os.path.join(out, expected)), path)
            got, want = without_dtype(layer_config(path)), without_dtype(layer_config(original))
            if got != want:
                raise AssertionError(f"{path}: config {got} != {want}")
            if assets(path) != assets(original):
                raise AssertionError(f"{path}: assets {assets(path)} != {assets(original)}")
            vocab = model.get_layer("vectorize").get_vocabulary()
            with open(os.path.join(out, name + ".vocab.json"), encoding="utf-8") as f:
                if [str(v) for v in vocab] != json.load(f):
                    raise AssertionError(f"{path}: vocabulary {vocab}")
            checked += 1
    sm = os.path.join(out, "sm_text_classifier")
    if os.path.isdir(sm):
        fn = tf.saved_model.load(sm).signatures["serving_default"]
        x = CASES["text_classifier"][0]
        result = fn(**{fn.structured_input_signature[1].popitem()[0]: tf.constant(x)})
        got = np.asarray(list(result.values())[0], dtype=np.float32)
        close(got, np.load(os.path.join(out, "text_classifier.pred.npy")), sm)
        checked += 1
    print("checked", checked)


if __name__ == "__main__":
    {"make": make, "check": check}[sys.argv[1]](sys.argv[2])
