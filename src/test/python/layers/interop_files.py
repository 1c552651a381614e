"""What the layer interop scripts (layer_files.py, recurrent_layers.py, attention_files.py) share:
Keras's summary text, loading a file with warnings as errors, comparing predictions, and the
"check" step over the files a Java interop test wrote beside Python's:

  java_NAME.keras, java_NAME.pred.npy   Python's NAME.keras trained further by Java, and Java's
                                        predictions after that training (for models with
                                        trainable weights)
  jb_NAME.keras                         NAME built with jkeras's API and given Python's weights

Each script imports this module from its own folder (Python puts a script's folder on sys.path).
"""
import json
import os
import warnings

import keras
import numpy as np

TOLERANCE = 1e-5


def summary_text(model):
    lines = []
    model.summary(print_fn=lambda s, **kw: lines.append(s))
    return "\n".join(lines)


def load(path):
    """Loads a .keras file; any warning (Keras warns when it skips variables) fails."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return keras.saving.load_model(path)


def close(name, what, expected, actual):
    if expected.shape != actual.shape:
        raise AssertionError(f"{name} {what}: shape {actual.shape}, expected {expected.shape}")
    diff = float(np.max(np.abs(expected - actual)))
    if diff > TOLERANCE:
        raise AssertionError(f"{name} {what}: max difference {diff}")


def layer_configs(model):
    """Layer name -> get_config(), without the dtype policy's shared_object_id (an artifact of
    serializing a policy object that several layers share, not part of a layer's config)."""
    out = {}
    for layer in model.layers:
        c = layer.get_config()
        if isinstance(c.get("dtype"), dict):
            c["dtype"].pop("shared_object_id", None)
        out[layer.name] = json.dumps(c, sort_keys=True)
    return out


def saved_inputs(folder, name):
    """NAME.x.npy, or the list NAME.x0.npy, NAME.x1.npy, ... of a model with several inputs."""
    single = os.path.join(folder, name + ".x.npy")
    if os.path.exists(single):
        return np.load(single)
    xs = []
    while os.path.exists(os.path.join(folder, f"{name}.x{len(xs)}.npy")):
        xs.append(np.load(os.path.join(folder, f"{name}.x{len(xs)}.npy")))
    if not xs:
        raise AssertionError(f"{name}: no {single} and no {name}.x0.npy in {folder}")
    return xs


def check(folder, names):
    """For each name: java_NAME.keras (when NAME.keras has trainable weights) predicts
    java_NAME.pred.npy, and jb_NAME.keras predicts NAME.pred.npy and has NAME.keras's layers with
    the same configs, all within TOLERANCE, on saved_inputs(folder, NAME)."""
    for name in names:
        x = saved_inputs(folder, name)
        original = load(os.path.join(folder, name + ".keras"))
        if original.trainable_weights:
            close(name, "Java-trained predictions",
                  np.load(os.path.join(folder, "java_" + name + ".pred.npy")),
                  load(os.path.join(folder, "java_" + name + ".keras")).predict(x, verbose=0))
        built = load(os.path.join(folder, "jb_" + name + ".keras"))
        close(name, "Java-built predictions", np.load(os.path.join(folder, name + ".pred.npy")),
              built.predict(x, verbose=0))
        ca, cb = layer_configs(original), layer_configs(built)
        if sorted(ca) != sorted(cb):
            raise AssertionError(f"{name}: Java-built layers {sorted(cb)} != Keras's {sorted(ca)}")
        for layer_name, c in ca.items():
            if c != cb[layer_name]:
                raise AssertionError(
                    f"{name}: Java-built config of {layer_name} {cb[layer_name]} != Keras's {c}")
    print("all checks passed:", len(names))
