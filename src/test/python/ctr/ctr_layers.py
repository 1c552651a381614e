"""Python's side of CtrLayersInteropTest: the CTR layers' .keras files, both ways, in one process.

Usage: ctr_layers.py DIR

1. Loads DIR/java_ctr.keras (written by jkeras) with the jkeras_ctr twins and keras-rs, predicts
   on DIR/ids.npy and compares with DIR/java_pred.npy; any warning while loading fails.
2. Builds the same architecture in Python (twins, keras_rs.layers.DotInteraction and
   FeatureCross), draws every weight from N(0, 0.5), saves DIR/py_ctr.keras and writes its
   predictions on the same ids to DIR/py_pred.npy, for Java to load and compare.

Prints "all checks passed" at the end; exits non-zero on the first failure.
"""
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..",
                    "python-interop"))

import keras  # noqa: E402
import keras_rs  # noqa: E402
import numpy as np  # noqa: E402

import jkeras_ctr as ctr  # noqa: E402

FIELDS, VOCAB, K = 4, 20, 3


def build():
    """The twin of CtrLayersInteropTest.model(): every CTR layer on one embedding."""
    ids = keras.Input((FIELDS,), dtype="int32", name="ids")
    e = keras.layers.Embedding(VOCAB, K, name="emb")(ids)
    flat = keras.layers.Flatten(name="flat")(e)
    d = [keras.layers.Dense(K, name=f"tower_{i}")(flat) for i in range(3)]
    cross1 = keras_rs.layers.FeatureCross(name="cross_full")(flat, flat)
    cross2 = keras_rs.layers.FeatureCross(projection_dim=2, diag_scale=0.1, name="cross_low")(
        flat, cross1)
    parts = [
        ctr.FactorizationMachine(name="fm")(e),
        ctr.FactorizationMachine(reduce_sum=False, name="fm_vec")(e),
        ctr.BiInteractionPooling(name="bi")(e),
        ctr.FieldWeightedFM(name="fwfm")(e),
        ctr.AttentionalFM(attention_units=2, name="afm")(e),
        ctr.InnerProduct(name="ip")(e),
        ctr.CIN(layer_sizes=[3, 2], name="cin")(e),
        ctr.CrossNet(num_layers=2, name="cross_net")(flat),
        keras_rs.layers.DotInteraction(name="dot")(d),
        keras_rs.layers.DotInteraction(self_interaction=True, skip_gather=True, name="dot_self")(
            d[:2]),
        cross2,
    ]
    out = keras.layers.Concatenate(name="all")(parts)
    return keras.Model(ids, out, name="ctr_layers")


def main(folder):
    ids = np.load(os.path.join(folder, "ids.npy"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        java = keras.saving.load_model(os.path.join(folder, "java_ctr.keras"))
    got = java.predict(ids, verbose=0)
    want = np.load(os.path.join(folder, "java_pred.npy"))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    types = sorted({type(l).__name__ for l in java.layers})
    print("java file loaded:", types)
    for name in ("cross_full", "cross_low", "dot", "fm", "cin"):
        assert type(java.get_layer(name)).__name__ in ("FeatureCross", "DotInteraction",
                                                        "FactorizationMachine", "CIN"), name
    assert java.get_layer("cross_low").down_proj_dense.kernel.shape == (12, 2)

    model = build()
    rng = np.random.default_rng(7)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    model.compile(optimizer="adam", loss="mse")
    model.save(os.path.join(folder, "py_ctr.keras"))
    np.save(os.path.join(folder, "py_pred.npy"), model.predict(ids, verbose=0))
    print("all checks passed")


if __name__ == "__main__":
    main(sys.argv[1])
