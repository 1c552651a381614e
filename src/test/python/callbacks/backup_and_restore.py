"""Keras's side of BackupAndRestoreTest: Dense(1) from kernel [0.3, -0.2], bias 0.1, Adam(0.05), mse,
five rows, batch 2, no shuffling, four epochs.

usage: backup_and_restore.py JAVA_BACKUP_DIR KERAS_BACKUP_DIR
Resumes the backup jkeras wrote after two epochs and trains to four, writes a backup of its own
after two epochs (kept), and prints the weights of both and of an uninterrupted run as JSON.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402

X = np.array([[1, 0], [0, 1], [1, 1], [2, 1], [0, 2]], "float32")
Y = np.array([1, -1, 0, 1, -2], "float32")


def model():
    inputs = keras.Input((2,))
    dense = keras.layers.Dense(1)
    m = keras.Model(inputs, dense(inputs))
    dense.set_weights([np.array([[0.3], [-0.2]], "float32"), np.array([0.1], "float32")])
    m.compile(keras.optimizers.Adam(0.05), "mse")
    return m


def weights(m):
    return [float(v) for v in np.concatenate([w.ravel() for w in m.get_weights()])]


def fit(m, epochs, callbacks):
    return m.fit(X, Y, epochs=epochs, batch_size=2, shuffle=False, verbose=0, callbacks=callbacks)


java_dir, keras_dir = sys.argv[1:3]
resumed = model()
history = fit(resumed, 4, [keras.callbacks.BackupAndRestore(java_dir)])
whole = model()
fit(whole, 4, [])
fit(model(), 2, [keras.callbacks.BackupAndRestore(keras_dir, delete_checkpoint=False)])
print(json.dumps({"resumed": weights(resumed), "resumed_epochs": len(history.history["loss"]),
                  "whole": weights(whole)}))
