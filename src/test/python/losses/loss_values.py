"""Reference values of Keras 3 losses on fixed inputs, for LossParityTest.

One process for every case (TensorFlow's import costs seconds). Writes JSON to argv[1]:
{"data": {kind: {"y_true", "y_pred", "sample_weight"}},
 "cases": [{"class_name", "config", "data", "result", "shape", "weighted_evaluate"}]}.
"result" is loss(y_true, y_pred) flattened, "shape" its shape; "weighted_evaluate" the loss that
model.evaluate logs for an identity model compiled with the loss, with the sample weights, in one
batch (null with reduction "none", and where Keras fails).
"""

import json
import sys

import keras
import numpy as np

rng = np.random.default_rng(5)


def f32(a):
    return np.asarray(a, dtype=np.float32)


# Segmentation-like maps (4 images, 3x3, 2 channels): binary labels, scores in [0, 1].
y_seg = (rng.uniform(0, 1, (4, 3, 3, 2)) < 0.4).astype(np.float32)
p_seg = np.clip(0.5 * y_seg + rng.uniform(0, 0.6, (4, 3, 3, 2)), 0, 1)
# Unit embeddings of 8 samples; class 3 has a single sample (no positive: masked out).
labels = np.array([0, 1, 0, 2, 1, 2, 0, 3], dtype=np.float32)
centres = rng.normal(0, 1, (4, 4))
emb = centres[labels.astype(int)] + rng.normal(0, 0.6, (8, 4))
emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)

data = {
    "seg": (y_seg, p_seg, rng.uniform(0, 2, (4,))),
    "embeddings": (labels, emb, rng.uniform(0, 2, (8,))),
}
data = {k: (f32(y), f32(p), f32(w)) for k, (y, p, w) in data.items()}
L = keras.losses

cases = []
for reduction in ("sum_over_batch_size", "sum", "none", "mean_with_sample_weight"):
    cases.append((L.Dice(reduction=reduction), "seg"))
    cases.append((L.Dice(axis=(1, 2, 3), reduction=reduction), "seg"))
    cases.append((L.Tversky(alpha=0.3, beta=0.7, axis=(1, 2, 3), reduction=reduction), "seg"))
    cases.append((L.Circle(reduction=reduction), "embeddings"))
# Keras cannot weigh its (image, channel) values by per-image weights: not evaluated.
cases.append((L.Dice(axis=(1, 2), name="dice_hw"), "seg", False))
cases.append((L.Dice(axis=(1, 2), reduction="none"), "seg"))
cases.append((L.Tversky(), "seg"))
cases.append((L.Dice(axis=-1, reduction="none"), "seg"))
cases.append((L.Tversky(alpha=0.4, beta=0.6, axis=2, reduction="none"), "seg"))
cases.append((L.Tversky(alpha=0.9, beta=0.1, reduction="none"), "seg"))
cases.append((L.Circle(gamma=32.0, margin=0.25, remove_diagonal=False), "embeddings"))
cases.append((L.Circle(gamma=32.0, margin=0.25, remove_diagonal=False, reduction="none"), "embeddings"))
cases.append((L.Circle(gamma=16, margin=0.1, name="c16"), "embeddings"))

out_cases = []
for loss, kind, *evaluated in cases:
    y, p, w = data[kind]
    value = np.asarray(loss(y, p), dtype=np.float64)
    weighted = None
    if loss.reduction not in (None, "none") and evaluated != [False]:
        model = keras.Sequential([keras.Input(p.shape[1:]), keras.layers.Identity()])
        model.compile(optimizer="sgd", loss=loss)
        weighted = float(
            model.evaluate(p, y, sample_weight=w, batch_size=len(p), verbose=0)
        )
    out_cases.append(
        {
            "class_name": type(loss).__name__,
            "config": keras.saving.serialize_keras_object(loss)["config"],
            "data": kind,
            "result": value.reshape(-1).tolist(),
            "shape": list(value.shape),
            "weighted_evaluate": weighted,
        }
    )

# One SGD step of Dense(4, no bias) + UnitNormalization trained with each loss on embeddings of
# 8 inputs, a class without a positive among them (its gradient must stay finite).
x_fit = f32(rng.normal(0, 1, (8, 3)))
kernel = f32(rng.normal(0, 0.5, (3, 4)))
steps = {}
for name, loss in (("circle", L.Circle()), ("dice", L.Dice(axis=(1,))), ("tversky", L.Tversky(0.3, 0.7))):
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, use_bias=False),
            keras.layers.UnitNormalization(),
        ]
    )
    model.layers[0].set_weights([kernel])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss)
    y_fit = labels if name == "circle" else f32(np.abs(centres[labels.astype(int)]) > 0.5)
    history = model.fit(x_fit, y_fit, batch_size=8, epochs=1, shuffle=False, verbose=0)
    steps[name] = {
        "y": y_fit.tolist(),
        "loss": history.history["loss"][0],
        "kernel": model.layers[0].get_weights()[0].tolist(),
    }

out = {
    "fit": {"x": x_fit.tolist(), "kernel": kernel.tolist(), "steps": steps},
    "data": {
        k: {"y_true": y.tolist(), "y_pred": p.tolist(), "sample_weight": w.tolist()}
        for k, (y, p, w) in data.items()
    },
    "cases": out_cases,
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)
