"""Trains the small Python-side models committed in models/, for Java tests and users.

Reads a few hundred reviews from the labeled IMDB archive, tokenizes them exactly as jkeras'
io.jkeras.datasets.Imdb does (lowercase, "<br />" -> space, tokens [a-z0-9']+, ranks by count over
the training reviews then by word, id = rank + 3, start id 1, out-of-vocabulary 2, padding 0,
pre-padding/truncation), trains a small FM model for 40 short epochs, and writes:

  models/imdb_fm_small/model.keras      Keras 3 native file (with the Adam state)
  models/imdb_fm_small/model.h5         legacy full-model HDF5 (Keras' h5 writer)
  models/imdb_fm_small/saved_model/1/   model.export(...) SavedModel, version 1 (serving layout)
  models/imdb_fm_small/input.npy        int32 (4, 50): four test reviews as token ids
  models/imdb_fm_small/expected.npy     float32 (4, 1): Python's predictions for them

Usage: python-interop/.venv/bin/python python-interop/make_models.py ARCHIVE OUT_DIR
"""

import collections
import os
import re
import sys
import tarfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jkeras_fm import FMLayer  # noqa: E402

NUM_WORDS = 1000
MAX_LEN = 50
PER_CLASS = 150
TOKEN = re.compile(r"[a-z0-9']+")
NAME = re.compile(r"(?:^|/)(train|test)/(pos|neg)/(\d+)_\d+\.txt$")


def tokens(text):
    return TOKEN.findall(text.lower().replace("<br />", " "))


def read_reviews(archive):
    """The first PER_CLASS reviews by id of each split and label."""
    found = collections.defaultdict(list)
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            m = NAME.search(member.name)
            if m and member.isfile():
                found[(m.group(1), m.group(2))].append(
                    (int(m.group(3)), tar.extractfile(member).read().decode("utf-8")))
    data = {}
    for split in ("train", "test"):
        rows = []
        for label in ("neg", "pos"):
            for _, text in sorted(found[(split, label)])[:PER_CLASS]:
                rows.append((tokens(text), 1.0 if label == "pos" else 0.0))
        data[split] = rows
    return data


def encode(rows, ranks):
    x = np.zeros((len(rows), MAX_LEN), dtype=np.int32)
    for i, (words, _) in enumerate(rows):
        ids = [1] + [ranks[w] + 3 if w in ranks else 2 for w in words]
        ids = [t if t < NUM_WORDS else 2 for t in ids][-MAX_LEN:]
        x[i, MAX_LEN - len(ids):] = ids
    y = np.array([label for _, label in rows], dtype=np.float32)
    return x, y


def main(archive, out):
    keras.utils.set_random_seed(7)
    data = read_reviews(archive)
    counts = collections.Counter(w for words, _ in data["train"] for w in words)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks = {w: r + 1 for r, (w, _) in enumerate(ranked)}
    x_train, y_train = encode(data["train"], ranks)
    x_test, y_test = encode(data["test"], ranks)

    inputs = keras.Input(shape=(MAX_LEN,), dtype="int32", name="tokens")
    h = keras.layers.Embedding(NUM_WORDS, 16)(inputs)
    h = keras.layers.GlobalAveragePooling1D()(h)
    h = FMLayer(8, 4)(h)
    h = keras.layers.Dropout(0.2)(h)
    outputs = keras.layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs, name="imdb_fm_small")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=40, verbose=0,
              validation_data=(x_test, y_test))

    os.makedirs(out, exist_ok=True)
    model.save(os.path.join(out, "model.keras"))
    model.save(os.path.join(out, "model.h5"))
    model.export(os.path.join(out, "saved_model", "1"), format="tf_saved_model", verbose=False)
    sample = np.concatenate([x_test[:2], x_test[-2:]])
    np.save(os.path.join(out, "input.npy"), sample)
    expected = model.predict(sample, verbose=0).astype(np.float32)
    np.save(os.path.join(out, "expected.npy"), expected)
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"params {model.count_params()}, test accuracy {acc:.4f}, loss {loss:.4f}")
    print("expected predictions:", expected.ravel().tolist())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
