"""Loads jkeras-written initializers, regularizers and constraints with Keras, and writes some.

Argument: a JSON file {"objects": [...], "weight": [...], "weight_shape": [...]}, where each
object is in Keras's {"module", "class_name", "config", "registered_name"} form.

Prints one JSON line: {"loaded": [...], "written": [...]}. Each "loaded" entry holds Keras's
serialization of the object it rebuilt and what the object computes: an initializer's output
shape (on (3, 4) for Identity, else (3, 4, 5)), a regularizer's penalty on the weight, a
constraint's projection of the weight (flattened). "written" holds Keras's serializations of
objects built here with non-default arguments, for jkeras to read.
"""

import json
import sys

import keras
import numpy as np
from keras import constraints
from keras import initializers
from keras import regularizers

MODULES = {
    "keras.initializers": initializers,
    "keras.regularizers": regularizers,
    "keras.constraints": constraints,
}

with open(sys.argv[1]) as f:
    spec = json.load(f)
# A tensor, not a NumPy array: Keras's normalize() takes another path for NumPy input.
weight = keras.ops.convert_to_tensor(
    np.array(spec["weight"], dtype="float32").reshape(spec["weight_shape"])
)

loaded = []
for obj in spec["objects"]:
    module = MODULES[obj["module"]]
    rebuilt = module.deserialize(obj)
    entry = {"serialized": keras.saving.serialize_keras_object(rebuilt)}
    if module is initializers:
        shape = (3, 4) if obj["class_name"] == "Identity" else (3, 4, 5)
        entry["shape"] = list(np.asarray(rebuilt(shape)).shape)
    elif module is regularizers:
        entry["value"] = float(rebuilt(weight))
    else:
        entry["value"] = [float(v) for v in np.asarray(rebuilt(weight)).ravel()]
    loaded.append(entry)

written = [
    initializers.VarianceScaling(
        scale=0.5,
        mode="fan_avg",
        distribution="normal",
        seed=3,
        input_axes=[0, 1],
        output_axes=[2],
    ),
    initializers.GlorotNormal(seed=4),
    initializers.GlorotUniform(seed=keras.random.SeedGenerator(8)),
    initializers.GlorotUniform(),
    initializers.HeNormal(),
    initializers.HeUniform(seed=5),
    initializers.LecunNormal(),
    initializers.LecunUniform(),
    initializers.RandomUniform(-1, 2, seed=6),
    initializers.RandomNormal(mean=1, stddev=0.5),
    initializers.TruncatedNormal(stddev=2),
    initializers.Constant(3),
    initializers.Identity(gain=2.0),
    initializers.Orthogonal(gain=0.5, seed=7),
    initializers.Zeros(),
    initializers.Ones(),
    regularizers.L1(0.25),
    regularizers.L2(0.125),
    regularizers.L1L2(l1=0.5),
    regularizers.OrthogonalRegularizer(0.5, "columns"),
    constraints.MaxNorm(3, axis=[0, 1]),
    constraints.MaxNorm(axis=None),
    constraints.MinMaxNorm(0.5, 2, rate=0.25, axis=-1),
    constraints.NonNeg(),
    constraints.UnitNorm(axis=(0, 1)),
]
print(
    json.dumps(
        {
            "loaded": loaded,
            "written": [keras.saving.serialize_keras_object(o) for o in written],
        }
    )
)
