"""The Python twin of NestedLayerTest's Block: a layer that owns two Dense layers.

Usage: nested_block.py JAVA_FILE PYTHON_FILE
Loads the .keras file Java wrote (compiled, trained once), and prints one JSON object:
  java_paths:  every dataset path of the Java file's model.weights.h5, with its shape
  java_pred:   the loaded model's predictions on X (below)
  java_opt:    the number of optimizer variables Keras restored
  py_paths:    the dataset paths of the file this script writes with the same model built in Python
  py_pred:     that Python model's predictions on X
Then saves that Python model (random weights) to PYTHON_FILE for Java to load.
"""
import io
import json
import sys
import zipfile

import h5py
import keras
import numpy as np


@keras.saving.register_keras_serializable(package="test")
class Block(keras.layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.proj = keras.layers.Dense(units)
        self.gate = keras.layers.Dense(units, activation="sigmoid")

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(self.units,), initializer="ones", name="scale")
        self.proj.build(input_shape)
        self.gate.build(input_shape)

    def call(self, x):
        return self.proj(x) * self.gate(x) * self.scale

    def get_config(self):
        config = super().get_config()
        config["units"] = self.units
        return config


X = (np.arange(8 * 4, dtype="float32").reshape(8, 4) / 10.0) - 1.0


def paths(keras_file):
    with zipfile.ZipFile(keras_file) as z:
        data = z.read("model.weights.h5")
    out = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(
            lambda name, obj: out.__setitem__(name, list(obj.shape))
            if isinstance(obj, h5py.Dataset)
            else None
        )
    return out


java_file, python_file = sys.argv[1], sys.argv[2]
java_model = keras.saving.load_model(java_file)
result = {
    "java_paths": paths(java_file),
    "java_pred": java_model.predict(X, verbose=0).tolist(),
    "java_opt": len(java_model.optimizer.variables),
}
x = keras.Input((4,))
model = keras.Model(x, Block(3, name="block")(x))
model.compile("adam", "mse")
model.fit(X, np.ones((8, 3), "float32"), epochs=1, batch_size=8, verbose=0)
model.save(python_file)
result["py_paths"] = paths(python_file)
result["py_pred"] = model.predict(X, verbose=0).tolist()
print(json.dumps(result))
