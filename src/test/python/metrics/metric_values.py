"""Reference values of Keras 3 metrics on fixed predictions, for MetricParityTest.

One process for every metric (TensorFlow's import costs seconds). Writes JSON to argv[1]:
{"data": {kind: {"y_true", "y_pred", "sample_weight"}}, "batches": [[from, to], ...],
 "cases": [{"class_name", "config", "data", "weighted", "result": [floats],
 "result_after_reset": [floats]}]}.
Each case feeds the same batches through update_state (with the sample weights when "weighted"),
then resets and feeds the last batch again ("result_after_reset").
With argv[2] and argv[3], also loads the Java-written model argv[2] (compiling it), prints its
compile config's metrics as the line METRICS <json>, and saves it to argv[3].
"""

import json
import sys

import keras
import numpy as np

rng = np.random.default_rng(14)
n = 97


def f32(a):
    return np.asarray(a, dtype=np.float32)


# Binary scores, with values on the AUC bucket edges (i / 199), exact 0, 0.5 and 1, and ties.
p_bin = rng.uniform(0, 1, (n, 1))
p_bin[:6, 0] = [0.0, 1.0, 0.5, 3 / 199, 100 / 199, 0.5]
y_bin = (rng.uniform(0, 1, (n, 1)) < 0.25 + 0.5 * p_bin).astype(np.float32)
logits = rng.normal(0, 2, (n, 1))
classes = 4
raw = rng.normal(0, 1.5, (n, classes))
p_cat = np.exp(raw) / np.exp(raw).sum(axis=1, keepdims=True)
sparse = rng.integers(0, classes, (n,))
p_cat[np.arange(20), sparse[:20]] += 1.0  # some right answers
p_cat = p_cat / p_cat.sum(axis=1, keepdims=True)
y_cat = np.eye(classes)[sparse]
p_ml = rng.uniform(0, 1, (n, 3))
y_ml = (rng.uniform(0, 1, (n, 3)) < p_ml).astype(np.float32)
y_reg = rng.normal(1, 2, (n, 2))
p_reg = y_reg + rng.normal(0, 0.7, (n, 2))
y_pos = np.abs(y_reg) + 0.1
p_pos = np.abs(p_reg) + 0.1
y_hinge = (rng.uniform(0, 1, (n, 1)) < 0.5).astype(np.float32)
# Scores where Keras's bucketed counts (ceil(p * 199) - 1) and a direct comparison with the
# float32 threshold disagree: the bucketed path must be followed exactly.
edges = []
for k in range(1, 199):
    t = np.float32(k / 199)
    for step in (0, 1):
        q = np.nextafter(t, np.float32(2)) if step else t
        bucket = int(np.ceil(q * np.float32(199)) - 1)
        direct = sum(1 for i in range(1, 199) if q > np.float32(i / 199))
        if bucket != direct:
            edges.append(float(q))
p_edge = np.resize(np.array(edges), n).reshape(-1, 1)
p_edge[len(edges) * 3 :, 0] = rng.uniform(0, 1, n - len(edges) * 3)
y_edge = (np.arange(n) % 2).reshape(-1, 1).astype(np.float32)
y_edge[::5] = 1 - y_edge[::5]
weights = rng.uniform(0, 2, (n,))
weights[::7] = 0
# Rows of five values for the per-sample correlations.
y_series = rng.normal(0, 1, (n, 5))
p_series = 0.6 * y_series + rng.normal(0.3, 0.8, (n, 5))
# Class ids (as floats, some fractional) with values outside [0, 4) and the void class 255.
y_ids = rng.integers(0, 4, (n, 1)).astype(np.float64)
p_ids = np.where(rng.uniform(0, 1, (n, 1)) < 0.5, y_ids, rng.integers(0, 4, (n, 1)))
p_ids = p_ids + rng.uniform(0, 0.9, (n, 1))
y_ids[::9] = 255
p_ids[4::11] = 4
y_ids[5::13] = -1

data = {
    "binary": (y_bin, p_bin),
    "logits": (y_bin, logits),
    "categorical": (y_cat, p_cat),
    "sparse": (sparse.reshape(-1, 1).astype(np.float32), p_cat),
    "multilabel": (y_ml, p_ml),
    "regression": (y_reg, p_reg),
    "positive": (y_pos, p_pos),
    "hinge": (y_hinge, logits),
    "edges": (y_edge, p_edge),
    "series": (y_series, p_series),
    "ids": (y_ids, p_ids),
    "sparse_scores": (y_ids, p_cat),
}
data = {k: (f32(y), f32(p)) for k, (y, p) in data.items()}
batches = [[0, 30], [30, 70], [70, n]]
M = keras.metrics

cases = []


def case(metric, kind, weighted=True):
    cases.append((metric, kind, weighted))


for w in (False, True):
    case(M.AUC(), "binary", w)
    case(M.AUC(), "edges", w)
    case(M.AUC(curve="PR"), "edges", w)
    case(M.SensitivityAtSpecificity(0.4), "edges", w)
    case(M.AUC(curve="PR"), "binary", w)
    case(M.AUC(curve="PR", summation_method="majoring"), "binary", w)
    case(M.AUC(curve="ROC", summation_method="minoring", num_thresholds=50), "binary", w)
    case(M.AUC(curve="PRGAIN"), "binary", w)
    case(M.AUC(thresholds=[0.1, 0.35, 0.5, 0.9]), "binary", w)
    case(M.AUC(curve="PR", thresholds=[0.25, 0.5, 0.75]), "binary", w)
    case(M.AUC(from_logits=True, curve="PR"), "logits", w)
    case(M.AUC(multi_label=True, num_labels=3), "multilabel", w)
    case(M.AUC(multi_label=True, curve="PR", label_weights=[0.2, 1.0, 0.5]), "multilabel", w)
    case(M.AUC(label_weights=[0.2, 1.0, 0.5], curve="PR"), "multilabel", w)
    case(M.Precision(), "binary", w)
    case(M.Recall(), "binary", w)
    case(M.Precision(thresholds=[0.3, 0.6]), "binary", w)
    case(M.Recall(thresholds=[0.0, 0.5, 1.0]), "binary", w)
    case(M.Precision(top_k=2), "multilabel", w)
    case(M.Recall(top_k=2), "multilabel", w)
    case(M.Precision(class_id=1), "multilabel", w)
    case(M.Recall(class_id=2, thresholds=0.4), "multilabel", w)
    case(M.Precision(top_k=1, class_id=0), "multilabel", w)
    case(M.TruePositives(thresholds=[0.2, 0.7]), "binary", w)
    case(M.FalsePositives(), "binary", w)
    case(M.TrueNegatives(thresholds=0.3), "binary", w)
    case(M.FalseNegatives(thresholds=[0.0, 0.5, 1.0]), "binary", w)
    case(M.PrecisionAtRecall(0.6), "binary", w)
    case(M.RecallAtPrecision(0.7, num_thresholds=50), "binary", w)
    case(M.SensitivityAtSpecificity(0.5), "binary", w)
    case(M.SpecificityAtSensitivity(0.5, class_id=1), "multilabel", w)
    case(M.F1Score(), "categorical", w)
    case(M.F1Score(average="micro", threshold=0.4), "multilabel", w)
    case(M.F1Score(average="macro"), "categorical", w)
    case(M.F1Score(average="weighted", threshold=0.5), "multilabel", w)
    case(M.FBetaScore(beta=2.0, average="macro", threshold=0.3), "multilabel", w)
    case(M.R2Score(), "regression", w)
    case(M.R2Score(class_aggregation="variance_weighted_average"), "regression", w)
    case(M.R2Score(class_aggregation=None, num_regressors=3), "regression", w)
    case(M.MeanSquaredError(), "regression", w)
    case(M.MeanAbsoluteError(), "regression", w)
    case(M.MeanAbsolutePercentageError(), "positive", w)
    case(M.MeanSquaredLogarithmicError(), "positive", w)
    case(M.LogCoshError(), "regression", w)
    case(M.RootMeanSquaredError(), "regression", w)
    case(M.BinaryCrossentropy(), "binary", w)
    case(M.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), "logits", w)
    case(M.CategoricalCrossentropy(label_smoothing=0.2), "categorical", w)
    case(M.SparseCategoricalCrossentropy(), "sparse", w)
    case(M.KLDivergence(), "categorical", w)
    case(M.Poisson(), "positive", w)
    case(M.Hinge(), "hinge", w)
    case(M.SquaredHinge(), "hinge", w)
    case(M.CategoricalHinge(), "categorical", w)
    case(M.BinaryAccuracy(threshold=0.7), "binary", w)
    case(M.CategoricalAccuracy(), "categorical", w)
    case(M.SparseCategoricalAccuracy(), "sparse", w)
    case(M.TopKCategoricalAccuracy(k=2), "categorical", w)
    case(M.SparseTopKCategoricalAccuracy(k=2), "sparse", w)
    case(M.Accuracy(), "binary", w)
    case(M.Mean(name="mean_of_values"), "regression", w)
    case(M.Sum(), "regression", w)
    case(M.CosineSimilarity(), "regression", w)
    case(M.CosineSimilarity(name="cos"), "series", w)
    case(M.PearsonCorrelation(), "series", w)
    case(M.PearsonCorrelation(axis=-1, name="pcc"), "regression", w)
    case(M.ConcordanceCorrelation(), "series", w)
    case(M.ConcordanceCorrelation(), "regression", w)
    case(M.PearsonCorrelation(axis=(1,)), "series", w)
    case(M.ConcordanceCorrelation(axis=[-1]), "series", w)
    case(M.IoU(4, [0, 2]), "ids", w)
    case(M.IoU(4, [1], ignore_class=255, sparse_y_pred=False), "sparse_scores", w)
    case(M.MeanIoU(4), "ids", w)
    case(M.MeanIoU(4, ignore_class=255, name="miou"), "ids", w)
    case(M.MeanIoU(4, dtype="float32", name="miou_float"), "ids", w)
    case(M.MeanIoU(4, sparse_y_pred=False), "sparse_scores", w)
    case(M.MeanIoU(4, sparse_y_true=False, sparse_y_pred=False), "categorical", w)
    case(M.BinaryIoU(), "binary", w)
    case(M.BinaryIoU(target_class_ids=[1], threshold=0.3), "binary", w)
    case(M.BinaryIoU(target_class_ids=[0], threshold=0.5), "edges", w)
    case(M.OneHotIoU(4, [0, 3]), "categorical", w)
    case(M.OneHotIoU(3, [2], ignore_class=1), "multilabel", w)
    case(M.OneHotMeanIoU(4), "categorical", w)
    case(M.OneHotMeanIoU(3, ignore_class=0, name="ohm"), "multilabel", w)

out_cases = []
for metric, kind, weighted in cases:
    y, p = data[kind]
    for a, b in batches:
        sw = f32(weights[a:b]) if weighted else None
        if isinstance(metric, (M.Sum,)) or type(metric) is M.Mean:
            metric.update_state(p[a:b], sample_weight=sw)
        else:
            metric.update_state(y[a:b], p[a:b], sample_weight=sw)
    result = np.asarray(metric.result(), dtype=np.float64).reshape(-1)
    # After reset_state, only the last batch counts.
    metric.reset_state()
    a, b = batches[-1]
    sw = f32(weights[a:b]) if weighted else None
    if isinstance(metric, (M.Sum,)) or type(metric) is M.Mean:
        metric.update_state(p[a:b], sample_weight=sw)
    else:
        metric.update_state(y[a:b], p[a:b], sample_weight=sw)
    after_reset = np.asarray(metric.result(), dtype=np.float64).reshape(-1)
    config = keras.saving.serialize_keras_object(metric)["config"]
    out_cases.append(
        {
            "class_name": type(metric).__name__,
            "config": config,
            "data": kind,
            "weighted": weighted,
            "result": [float(v) for v in result],
            "result_after_reset": [float(v) for v in after_reset],
        }
    )

out = {
    "data": {
        k: {"y_true": y.tolist(), "y_pred": p.tolist()} for k, (y, p) in data.items()
    },
    "sample_weight": f32(weights).tolist(),
    "batches": batches,
    "cases": out_cases,
}
with open(sys.argv[1], "w") as f:
    json.dump(out, f)

if len(sys.argv) > 3:
    model = keras.saving.load_model(sys.argv[2])
    print("METRICS " + json.dumps(model.get_compile_config()["metrics"]))
    model.save(sys.argv[3])
