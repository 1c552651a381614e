"""Exports a Keras model with a uint8 image input and prints its predictions.

Usage: uint8_model.py OUT_DIR

The model: Input((2, 2), uint8) -> Rescaling(1/255) -> Flatten -> Dense(2). Prints JSON
{"pixels": [...], "predictions": [...]}: the uint8 instances fed and model.predict on them.
"""

import json
import sys

import keras
import numpy as np

keras.utils.set_random_seed(7)
x = keras.Input((2, 2), dtype="uint8", name="pixels")
h = keras.layers.Rescaling(1.0 / 255)(x)
y = keras.layers.Dense(2, name="score")(keras.layers.Flatten()(h))
model = keras.Model(x, y)
model.export(sys.argv[1], verbose=False)
pixels = np.array([[[0, 255], [128, 7]], [[255, 255], [1, 0]], [[9, 200], [64, 33]]], "uint8")
print(json.dumps({"pixels": pixels.tolist(), "predictions": model.predict(pixels, verbose=0).tolist()}))
