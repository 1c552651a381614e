"""Python Keras's side of the attention file tests (AttentionFilesInteropTest): EinsumDense,
Attention, AdditiveAttention and MultiHeadAttention, as functional models with calls that take
several tensors and keyword arguments (key=, attention_mask=, use_causal_mask=,
return_attention_scores=) and Embedding(mask_zero) masks.

Usage:
  attention_files.py make DIR    one small model per case (below): NAME.keras (compiled, trained
                                 one step so biases are not zero), NAME.x<i>.npy (one per input),
                                 NAME.y.npy, NAME.pred.npy, NAME.summary.txt (COLUMNS=80, before
                                 training), NAME.weights.txt (the weight paths, in order)
  attention_files.py check DIR   loads what Java wrote: java_NAME.keras (the Python model trained
                                 further by Java, for models with weights) must predict java_NAME.pred.npy; jb_NAME.keras
                                 (built with jkeras's API, Python's weights) must predict
                                 NAME.pred.npy and hold the same layer configs

Any warning while loading fails the script (Keras warns when it skips variables).
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ["COLUMNS"] = "80"

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
import interop_files  # noqa: E402


def einsum_dense():
    x = keras.Input((5,), name="x")
    return [x], L.EinsumDense("ab,bc->ac", output_shape=4, name="layer")(x)


def einsum_dense_heads():
    x = keras.Input((3, 5), name="x")
    y = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de",
                      activation="relu", kernel_initializer="he_normal", name="layer")(x)
    return [x], L.Reshape((3, 6), name="reshape")(y)


def einsum_dense_left_ellipsis():
    x = keras.Input((3, 5), name="x")
    return [x], L.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c", name="layer")(x)


def einsum_dense_right_ellipsis():
    x = keras.Input((5, 3), name="x")
    return [x], L.EinsumDense("ab...,bc->ac...", output_shape=4, bias_axes="c",
                              activation="tanh", name="layer")(x)


def attention():
    q = keras.Input((3, 4), name="q")
    v = keras.Input((5, 4), name="v")
    return [q, v], L.Attention(name="layer")([q, v])


def attention_options():
    q = keras.Input((4, 3), name="q")
    v = keras.Input((5, 2), name="v")
    k = keras.Input((5, 3), name="k")
    out, scores = L.Attention(use_scale=True, score_mode="concat", dropout=0.2, name="layer")(
        [q, v, k], use_causal_mask=True, return_attention_scores=True)
    flat = L.Concatenate(name="both")([L.Flatten(name="f1")(out), L.Flatten(name="f2")(scores)])
    return [q, v, k], flat


def additive_attention():
    q = keras.Input((3, 4), name="q")
    v = keras.Input((5, 4), name="v")
    return [q, v], L.AdditiveAttention(name="layer")([q, v])


def additive_attention_options():
    q = keras.Input((3, 4), name="q")
    v = keras.Input((5, 2), name="v")
    k = keras.Input((5, 4), name="k")
    return [q, v, k], L.AdditiveAttention(use_scale=False, dropout=0.1, name="layer")([q, v, k])


def mha():
    x = keras.Input((5, 8), name="x")
    return [x], L.MultiHeadAttention(2, 4, name="layer")(x, x)


def mha_options():
    q = keras.Input((4, 6), name="q")
    v = keras.Input((5, 7), name="v")
    k = keras.Input((5, 3), name="k")
    y = L.MultiHeadAttention(
        num_heads=3, key_dim=2, value_dim=3, dropout=0.1, use_bias=False, output_shape=(5,),
        kernel_initializer="he_uniform", name="layer")(q, v, key=k, use_causal_mask=True)
    return [q, v, k], y


def mha_attention_mask():
    q = keras.Input((4, 6), name="q")
    v = keras.Input((4, 6), name="v")  # Keras's symbolic scores shape assumes T == S
    m = keras.Input((4, 4), dtype="int32", name="m")
    out, scores = L.MultiHeadAttention(2, 3, name="layer")(
        q, v, attention_mask=m, return_attention_scores=True)
    flat = L.Concatenate(name="both")([L.Flatten(name="f1")(out), L.Flatten(name="f2")(scores)])
    return [q, v, m], flat


def mha_sliding_window_gate():
    q = keras.Input((5, 6), name="q")
    v = keras.Input((5, 6), name="v")
    out, scores = L.MultiHeadAttention(2, 3, sliding_window=2, use_gate=True, name="layer")(
        q, v, return_attention_scores=True)
    flat = L.Concatenate(name="both")([L.Flatten(name="f1")(out), L.Flatten(name="f2")(scores)])
    return [q, v], flat


def mha_attention_axes():
    x = keras.Input((3, 4, 5), name="x")
    return [x], L.MultiHeadAttention(2, 3, attention_axes=(1, 2), name="layer")(x, x)


def mha_masked():
    ids = keras.Input((6,), dtype="int32", name="ids")
    ids2 = keras.Input((4,), dtype="int32", name="ids2")
    emb = L.Embedding(20, 8, mask_zero=True, name="emb")
    e = emb(ids)
    e2 = L.Embedding(20, 8, mask_zero=True, name="emb2")(ids2)
    a = L.MultiHeadAttention(2, 4, name="layer")(e, e)
    x = L.Add(name="res")([e, a])
    c = L.Concatenate(name="cat")([x, e])
    p = L.GlobalAveragePooling1D(name="pool")(c)
    cross = L.MultiHeadAttention(2, 4, name="cross")(e2, e)
    p2 = L.GlobalAveragePooling1D(name="pool2")(cross)
    both = L.Concatenate(name="both")([p, p2])
    return [ids, ids2], L.Dense(2, name="out")(both)


def encoder():
    x = keras.Input((6, 8), name="tokens")
    a = L.MultiHeadAttention(2, 4, dropout=0.1, name="mha")(x, x)
    h = L.LayerNormalization(name="ln1")(L.Add(name="res1")([x, a]))
    f = L.Dense(16, activation="relu", name="ff1")(h)
    f = L.Dense(8, name="ff2")(f)
    h = L.LayerNormalization(name="ln2")(L.Add(name="res2")([h, f]))
    p = L.GlobalAveragePooling1D(name="pool")(h)
    return [x], L.Dense(3, activation="softmax", name="probs")(p)


CASES = {f.__name__: f for f in [
    einsum_dense, einsum_dense_heads, einsum_dense_left_ellipsis, einsum_dense_right_ellipsis,
    attention, attention_options, additive_attention, additive_attention_options, mha,
    mha_options, mha_attention_mask, mha_sliding_window_gate, mha_attention_axes, mha_masked, encoder]}


def inputs(model, rng):
    xs = []
    for t in model.inputs:
        shape = (4,) + tuple(t.shape[1:])
        if t.dtype == "int32" and t.name == "m":
            x = rng.integers(0, 2, size=shape)
            x[..., 0] = 1  # every query attends to something
        elif t.dtype == "int32":
            x = rng.integers(1, 20, size=shape)
            x[0, 2:] = 0  # padding
            x[1, -1:] = 0
        else:
            x = rng.normal(size=shape)
        xs.append(x.astype(t.dtype))
    return xs


def make(folder):
    for i, name in enumerate(CASES):
        keras.utils.set_random_seed(200 + i)
        ins, out = CASES[name]()
        model = keras.Model(ins, out, name=name)
        rng = np.random.default_rng(i)
        xs = inputs(model, rng)
        y = rng.normal(size=(4,) + tuple(model.output_shape[1:])).astype("float32")
        model.compile(optimizer="adam", loss="mse")
        with open(os.path.join(folder, name + ".summary.txt"), "w", encoding="utf-8") as f:
            f.write(interop_files.summary_text(model))
        with open(os.path.join(folder, name + ".weights.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(f"{w.path} {list(w.shape)}" for w in model.weights))
        if model.trainable_weights:
            model.optimizer.learning_rate = 0.1
            model.fit(xs, y, batch_size=4, epochs=1, verbose=0)
            model.optimizer.learning_rate = 0.001
        model.save(os.path.join(folder, name + ".keras"))
        for j, x in enumerate(xs):
            np.save(os.path.join(folder, f"{name}.x{j}.npy"), x)
        np.save(os.path.join(folder, name + ".y.npy"), y)
        np.save(os.path.join(folder, name + ".pred.npy"), model.predict(xs, verbose=0))
    print("made", len(CASES), "models")


if __name__ == "__main__":
    {"make": make, "check": lambda folder: interop_files.check(folder, list(CASES))}[sys.argv[1]](
        sys.argv[2])
