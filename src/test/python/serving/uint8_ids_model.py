"""Exports a Keras model whose uint8 input holds embedding ids, and prints its predictions.

Usage: uint8_ids_model.py OUT_DIR

The model: Input((2,), uint8) -> Embedding(10, 2) -> Flatten -> Dense(1). Prints JSON
{"ids": [...], "predictions": [...]}: the ids fed and model.predict on them.
"""

import json
import sys

import keras
import numpy as np

keras.utils.set_random_seed(7)
x = keras.Input((2,), dtype="uint8", name="ids")
h = keras.layers.Embedding(10, 2, name="emb")(x)
y = keras.layers.Dense(1, name="score")(keras.layers.Flatten()(h))
model = keras.Model(x, y)
model.export(sys.argv[1], verbose=False)
ids = np.array([[0, 9], [3, 4]], "uint8")
print(json.dumps({"ids": ids.tolist(), "predictions": model.predict(ids, verbose=0).tolist()}))
