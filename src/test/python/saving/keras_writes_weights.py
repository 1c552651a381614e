"""Trains the Python twin of a model one Adam step, saves its weights, and dumps everything.

Usage: keras_writes_weights.py ARCH WORKDIR N
Writes WORKDIR/python.weights.h5 (model.save_weights after compile + one fit step, so the file
has an optimizer group), WORKDIR/python_f64.weights.h5 (the same arrays as float64, without the
empty groups of weightless layers), the inputs x<i>.f32, the predictions pred.f32, the weights
w_<layer>_<i>.f32, and the optimizer variables opt_<i>.f32/.i64 listed in opt.txt as
"<index> <dtype> <dims,...>".
"""
import os
import sys

import h5py
import keras
import numpy as np

from architectures import INPUT_SHAPES, OUTPUT_SHAPES, build, dump_layer_weights, write_f32, write_i64

arch, workdir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
keras.utils.set_random_seed(1234)
model = build(arch)
rng = np.random.default_rng(99)
xs = [rng.standard_normal((n,) + s).astype("float32") for s in INPUT_SHAPES[arch]]
y = rng.random((n,) + OUTPUT_SHAPES[arch]).astype("float32")
model.compile(optimizer=keras.optimizers.Adam(), loss="mse")
model.fit(xs if len(xs) > 1 else xs[0], y, batch_size=n, epochs=1, shuffle=False, verbose=0)

path = os.path.join(workdir, "python.weights.h5")
model.save_weights(path)
for i, x in enumerate(xs):
    write_f32(os.path.join(workdir, f"x{i}.f32"), x)
write_f32(os.path.join(workdir, "pred.f32"),
          model.predict(xs if len(xs) > 1 else xs[0], batch_size=32, verbose=0))
dump_layer_weights(model, workdir)

with open(os.path.join(workdir, "opt.txt"), "w") as listing:
    for i, v in enumerate(model.optimizer.variables):
        value = v.numpy()
        if np.issubdtype(value.dtype, np.integer):
            write_i64(os.path.join(workdir, f"opt_{i}.i64"), value)
            kind = "int64"
        else:
            write_f32(os.path.join(workdir, f"opt_{i}.f32"), value)
            kind = "float32"
        listing.write(f"{i} {kind} {','.join(str(d) for d in value.shape)}\n")

# The float64 variant: every float dataset widened, groups without datasets left out.
with h5py.File(path, "r") as src, h5py.File(os.path.join(workdir, "python_f64.weights.h5"), "w") as dst:
    def copy(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            if np.issubdtype(data.dtype, np.floating):
                data = np.asarray(data, dtype="float64")
            dst[name] = data
            for k, v in obj.parent.attrs.items():
                dst[obj.parent.name].attrs[k] = v
    src.visititems(copy)
print("saved", path)
