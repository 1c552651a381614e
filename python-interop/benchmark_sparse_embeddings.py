"""Python Keras 3 side of benchmarks/sparse-embeddings: DeepFM (the twin of jkeras' CtrModels,
from benchmark_ctr.build) trained on the batches jkeras wrote (DIR/<rows>/{ids,numeric,labels}.npy)
with Adagrad and Adam, which Keras applies densely to the embedding tables.

Prints one line per run: "keras <rows> <optimizer> <steps/s>".

Usage: benchmark_sparse_embeddings.py DIR BATCH STEPS EMB ROWS...
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

from benchmark_ctr import build, feed  # noqa: E402

WARMUP = 3


def main():
    root, batch, steps, emb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    for rows in sys.argv[5:]:
        d = os.path.join(root, rows)
        ids = np.load(os.path.join(d, "ids.npy"))
        numeric = np.load(os.path.join(d, "numeric.npy"))
        labels = np.load(os.path.join(d, "labels.npy"))
        fields = ids.shape[1]
        id_space = (int(rows) // fields) * fields
        for name, opt in (("adagrad", lambda: keras.optimizers.Adagrad(0.01)),
                          ("adam", lambda: keras.optimizers.Adam(0.001))):
            keras.utils.set_random_seed(1)
            m = build("deepfm", fields, id_space, numeric.shape[1], emb)
            m.compile(optimizer=opt(), loss="binary_crossentropy")
            head = slice(0, WARMUP * batch)
            tail = slice(WARMUP * batch, (WARMUP + steps) * batch)
            m.fit(feed(m, ids[head], numeric[head]), labels[head], batch_size=batch, epochs=1,
                  shuffle=False, verbose=0)
            t0 = time.perf_counter()
            m.fit(feed(m, ids[tail], numeric[tail]), labels[tail], batch_size=batch, epochs=1,
                  shuffle=False, verbose=0)
            print(f"keras {id_space} {name} {steps / (time.perf_counter() - t0):.2f}", flush=True)
            del m
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
