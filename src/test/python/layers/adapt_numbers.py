"""Python Keras's side of PreprocessingAdaptInteropTest: Normalization and Discretization adapted
on the data Java wrote, and Java's adapted Discretization configs loaded back into Keras.

Usage:
  adapt_numbers.py IN.json OUT.json

IN.json holds "normalization": a list of {"axis": list or null, "invert", "data": nested lists,
"probe": nested lists, "java_file": the layer adapted and saved by jkeras}, and "discretization": a list of {"num_bins", "epsilon", "data", "probe",
"java_config", "keras_file": where to save a model of Keras's adapted layer}. OUT.json gets, per case, Keras's adapted state (mean and variance, or
bin_boundaries and the config) and its outputs on "probe"; also the outputs of Java's
Normalization file and of Keras's Discretization built from Java's config.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402


def main(src, dst):
    with open(src) as f:
        cases = json.load(f)
    out = {"normalization": [], "discretization": []}
    for case in cases["normalization"]:
        # float64 arrays holding the float32 values Java sees: NumPy averages in double.
        layer = keras.layers.Normalization(axis=case["axis"], invert=case["invert"])
        layer.adapt(np.array(case["data"], dtype="float64"))
        probe = np.array(case["probe"], dtype="float32")
        out["normalization"].append(
            {
                "mean": np.asarray(layer.adapt_mean).ravel().tolist(),
                "variance": np.asarray(layer.adapt_variance).ravel().tolist(),
                "output": np.asarray(layer(probe)).ravel().tolist(),
                "java_file_output": keras.saving.load_model(case["java_file"])
                .predict(probe, verbose=0)
                .ravel()
                .tolist(),
            }
        )
    for case in cases["discretization"]:
        layer = keras.layers.Discretization(
            num_bins=case["num_bins"],
            epsilon=case["epsilon"],
            output_mode=case["output_mode"],
        )
        layer.adapt(np.array(case["data"], dtype="float32"))
        probe = np.array(case["probe"], dtype="float32")
        config = layer.get_config()
        from_java = keras.layers.Discretization.from_config(case["java_config"])
        inputs = keras.Input(probe.shape[1:])
        keras.Model(inputs, layer(inputs)).save(case["keras_file"])
        out["discretization"].append(
            {
                "bin_boundaries": layer.bin_boundaries,
                "num_bins": config["num_bins"],
                "output": np.asarray(layer(probe)).ravel().tolist(),
                "java_output": np.asarray(from_java(probe)).ravel().tolist(),
            }
        )
    with open(dst, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
