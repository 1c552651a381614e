"""Self-check of jkeras_fm.FMLayer; exits non-zero on the first failure.

Checks, for both interaction modes:
  * the forward pass against a NumPy float64 reference computed straight from the weights,
    including the O(n^2) pairwise sum for "fm", which must equal the O(n k) identity;
  * the parameter count for 250 inputs -> 200 units with k = 100: 75,200;
  * the registered name jkeras>FMLayer, the weight names and order, and get_config;
  * a round trip through model.save("x.keras") + keras.saving.load_model with identical
    predictions and weights.

Run:  python python-interop/test_jkeras_fm.py   (needs keras 3 with a backend installed)
"""

import os
import sys
import tempfile
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jkeras_fm import FMLayer  # noqa: E402

FAILURES = []


def check(name, fn):
    try:
        fn()
        print(f"ok    {name}")
    except Exception:  # report every failing check, not only the first
        FAILURES.append(name)
        print(f"FAIL  {name}")
        traceback.print_exc()


def reference(x, one, two, bias, interaction, activation=None):
    """The layer's output in float64, straight from the formula."""
    x = x.astype(np.float64)
    one, two, bias = (w.astype(np.float64) for w in (one, two, bias))
    xv = x @ two
    x2v2 = (x**2) @ (two**2)
    first = xv**2 if interaction == "fm" else xv
    p = 0.5 * np.sum(first - x2v2, axis=1, keepdims=True)
    y = x @ one + p + bias
    if activation == "relu":
        y = np.maximum(y, 0)
    return y


def pairwise_bruteforce(x, two):
    """sum_{i<j} <v_i, v_j> x_i x_j, one value per sample, in O(n^2 k)."""
    x = x.astype(np.float64)
    v = two.astype(np.float64)
    gram = v @ v.T
    n = x.shape[1]
    iu = np.triu_indices(n, k=1)
    return np.array([np.sum(gram[iu] * np.outer(row, row)[iu]) for row in x])[:, None]


def random_layer(interaction, n=13, units=7, k=5, activation=None, seed=0):
    layer = FMLayer(units, k, activation=activation, interaction=interaction)
    layer.build((None, n))
    rng = np.random.default_rng(seed)
    # Non-zero bias so that its addition is checked too.
    layer.set_weights(
        [
            rng.normal(size=(n, units)).astype("float32"),
            rng.normal(size=(n, k)).astype("float32") * 0.5,
            rng.normal(size=(units,)).astype("float32"),
        ]
    )
    x = rng.normal(size=(6, n)).astype("float32")
    return layer, x


def test_forward(interaction, activation=None):
    def run():
        layer, x = random_layer(interaction, activation=activation)
        got = keras.ops.convert_to_numpy(layer(x)).astype(np.float64)
        want = reference(x, *layer.get_weights(), interaction, activation)
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-4)

    return run


def test_fm_identity():
    layer, x = random_layer("fm")
    one, two, bias = layer.get_weights()
    linear = x.astype(np.float64) @ one.astype(np.float64) + bias
    p = reference(x, one, two, bias, "fm") - linear
    np.testing.assert_allclose(p, np.repeat(pairwise_bruteforce(x, two), one.shape[1], 1),
                               rtol=1e-9, atol=1e-9)


def test_param_count():
    inputs = keras.Input(shape=(250,))
    layer = FMLayer(200, 100)
    keras.Model(inputs, layer(inputs))
    assert layer.count_params() == 75_200, layer.count_params()
    assert [w.path.split("/")[-1] for w in layer.weights] == ["one", "two", "bias"], [
        w.path for w in layer.weights
    ]
    assert [tuple(w.shape) for w in layer.weights] == [(250, 200), (250, 100), (200,)]


def test_registration_and_config():
    assert keras.saving.get_registered_name(FMLayer) == "jkeras>FMLayer"
    layer = FMLayer(4, 3, activation="relu", interaction="SEED")
    config = layer.get_config()
    for key, value in {"output_dim": 4, "factor_order": 3, "activation": "relu",
                       "interaction": "seed"}.items():
        assert config[key] == value, (key, config[key])
    assert FMLayer(4, 3).get_config()["activation"] == "linear"
    again = FMLayer.from_config(config)
    assert again.get_config() == config
    for bad in [dict(output_dim=0, factor_order=1), dict(output_dim=2, factor_order=-1),
                dict(output_dim=2, factor_order=1, interaction="cross")]:
        try:
            FMLayer(**bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_save_load(interaction):
    def run():
        keras.utils.set_random_seed(3)
        inputs = keras.Input(shape=(250,))
        h = FMLayer(200, 100, interaction=interaction)(inputs)
        outputs = keras.layers.Dense(1, activation="sigmoid")(h)
        model = keras.Model(inputs, outputs)
        x = np.random.default_rng(1).normal(size=(16, 250)).astype("float32") * 0.1
        before = model.predict(x, verbose=0)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "x.keras")
            model.save(path)
            loaded = keras.saving.load_model(path)
        after = loaded.predict(x, verbose=0)
        np.testing.assert_array_equal(before, after)
        for a, b in zip(model.get_weights(), loaded.get_weights()):
            np.testing.assert_array_equal(a, b)
        fm = [layer for layer in loaded.layers if isinstance(layer, FMLayer)]
        assert len(fm) == 1 and fm[0].interaction == interaction, fm

    return run


def main():
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}")
    check("forward matches NumPy float64 (fm)", test_forward("fm"))
    check("forward matches NumPy float64 (seed)", test_forward("seed"))
    check("forward with relu (fm)", test_forward("fm", "relu"))
    check("fm term equals the pairwise sum over i<j", test_fm_identity)
    check("250 -> 200 units, k=100: 75,200 params; weights one, two, bias", test_param_count)
    check("registered as jkeras>FMLayer; get_config round trip", test_registration_and_config)
    check("model.save + load_model keep predictions (fm)", test_save_load("fm"))
    check("model.save + load_model keep predictions (seed)", test_save_load("seed"))
    if FAILURES:
        print(f"{len(FAILURES)} failed: {', '.join(FAILURES)}")
        return 1
    print("all FMLayer checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
