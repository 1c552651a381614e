"""Loads a weights file written by jkeras into the Python twin of the model and reports back.

Usage: keras_loads_java_weights.py WEIGHTS ARCH WORKDIR N
Reads WORKDIR/x<i>.f32 (N samples per input), writes WORKDIR/pred.f32 and the loaded weights
(w_<layer>_<i>.f32). Any warning raised while loading fails the script: Keras warns when it
skips variables, and a silent skip is exactly what this test must catch.
"""
import os
import sys
import warnings

from architectures import INPUT_SHAPES, build, dump_layer_weights, read_f32, write_f32

weights_path, arch, workdir, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
model = build(arch)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model.load_weights(weights_path)
if caught:
    sys.exit("Keras warned while loading: " + " | ".join(str(w.message) for w in caught))

xs = [read_f32(os.path.join(workdir, f"x{i}.f32"), (n,) + s)
      for i, s in enumerate(INPUT_SHAPES[arch])]
pred = model.predict(xs if len(xs) > 1 else xs[0], batch_size=32, verbose=0)
write_f32(os.path.join(workdir, "pred.f32"), pred)
dump_layer_weights(model, workdir)
print("loaded", weights_path, "into", model.name, "predictions", pred.shape)
