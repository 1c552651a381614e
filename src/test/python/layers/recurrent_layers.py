"""Python Keras's side of RecurrentLayersInteropTest: SimpleRNN, LSTM, GRU, RNN over each cell,
Bidirectional and TimeDistributed, with masks from Embedding(mask_zero=True).

Usage:
  recurrent_layers.py make DIR    one small model per case (below): NAME.keras (compiled, trained
                                  one step so biases are not zero), NAME.x.npy, NAME.y.npy,
                                  NAME.pred.npy, NAME.summary.txt (COLUMNS=80, before training)
  recurrent_layers.py check DIR   loads what Java wrote: java_NAME.keras (the Python model trained
                                  further by Java) must predict java_NAME.pred.npy; jb_NAME.keras
                                  (built with jkeras's API, Python's weights) must predict
                                  NAME.pred.npy and hold the same layer configs

Sequence inputs are float32 (batch 4, 5 steps, 3 features) unless the case starts with an
Embedding: then int32 ids (batch 4, 6 steps) padded with zeros: right and left padding, a zero
inside, and a row entirely padding (one step left before a masked mean: 0 / 0 in Keras). Any warning while loading fails the script.
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


def seq(*layers):
    return lambda: [keras.Input((5, 3))] + list(layers)


def ids(*layers):
    return lambda: [keras.Input((6,), dtype="int32"),
                    L.Embedding(10, 4, mask_zero=True, name="embedding")] + list(layers)


CASES = {
    "simple_rnn": lambda: [keras.Input((5, 3)), L.SimpleRNN(4, name="layer")],
    "simple_rnn_options": lambda: [
        keras.Input((5, 3)),
        L.SimpleRNN(3, activation="relu", use_bias=False, return_sequences=True,
                    go_backwards=True, kernel_initializer="he_normal",
                    recurrent_regularizer="l2", dropout=0.2, recurrent_dropout=0.1,
                    name="layer")],
    "lstm": lambda: [keras.Input((5, 3)), L.LSTM(4, name="layer")],
    "lstm_options": lambda: [
        keras.Input((5, 3)),
        L.LSTM(3, activation="relu", recurrent_activation="hard_sigmoid",
               unit_forget_bias=False, return_sequences=True, go_backwards=True,
               kernel_regularizer="l2", bias_constraint="non_neg", dropout=0.1,
               recurrent_dropout=0.2, seed=7, name="layer")],
    "lstm_dropout_only": lambda: [
        keras.Input((5, 3)), L.LSTM(3, dropout=0.3, use_bias=False, name="layer")],
    "gru": lambda: [keras.Input((5, 3)), L.GRU(4, name="layer")],
    "gru_reset_before": lambda: [
        keras.Input((5, 3)),
        L.GRU(3, reset_after=False, return_sequences=True, recurrent_dropout=0.1,
              dropout=0.1, name="layer")],
    "gru_no_bias_backwards": lambda: [
        keras.Input((5, 3)), L.GRU(3, use_bias=False, go_backwards=True, name="layer")],
    "rnn_lstm_cell": lambda: [
        keras.Input((5, 3)), L.RNN(L.LSTMCell(3, name="cell"), return_sequences=True, name="layer")],
    "rnn_gru_cell": lambda: [keras.Input((5, 3)), L.RNN(L.GRUCell(2, name="cell"), name="layer")],
    "rnn_simple_cell_backwards": lambda: [
        keras.Input((5, 3)), L.RNN(L.SimpleRNNCell(2, name="cell"), go_backwards=True, name="layer")],
    "bidirectional": lambda: [
        keras.Input((5, 3)),
        L.Bidirectional(L.LSTM(3, return_sequences=True, name="lstm"), name="layer"),
        L.TimeDistributed(L.Dense(2, name="dense"), name="time_distributed")],
    "bidirectional_sum": lambda: [
        keras.Input((5, 3)), L.Bidirectional(L.GRU(3, name="gru"), merge_mode="sum", name="layer")],
    "bidirectional_backward_layer_mul": lambda: [
        keras.Input((5, 3)),
        L.Bidirectional(
            L.SimpleRNN(2, return_sequences=True, name="simple_rnn"),
            backward_layer=L.SimpleRNN(2, return_sequences=True, go_backwards=True,
                                       activation="relu", name="back"),
            merge_mode="mul", name="layer")],
    "bidirectional_ave": lambda: [
        keras.Input((5, 3)), L.Bidirectional(L.LSTM(2, name="lstm"), merge_mode="ave", name="layer")],
    "time_distributed": lambda: [
        keras.Input((4, 5)), L.TimeDistributed(L.Dense(3, activation="relu", name="dense"), name="layer")],
    "masked_lstm": ids(L.LSTM(3, return_sequences=True, name="layer"), L.LSTM(2, name="lstm_2")),
    "masked_gru_backwards": ids(
        L.GRU(3, go_backwards=True, return_sequences=True, name="layer"),
        L.GlobalAveragePooling1D(name="pool")),
    "masked_bidirectional": ids(
        L.Bidirectional(L.GRU(3, return_sequences=True, name="gru"), name="layer"),
        L.GlobalAveragePooling1D(name="pool"), L.Dense(1, name="dense")),
    "masked_simple_rnn_zero_output": ids(
        L.SimpleRNN(2, return_sequences=True, zero_output_for_mask=True, name="layer")),
    "text_classifier": lambda: [
        keras.Input((10,), dtype="int32"),
        L.Embedding(20, 8, mask_zero=True, name="embedding"),
        L.LSTM(6, name="lstm"),
        L.Dense(1, activation="sigmoid", name="probability")],
}

FUNCTIONAL = ["lstm_return_state", "bidirectional_none_return_state"]


def functional(name):
    x = keras.Input((5, 3), name="x")
    if name == "lstm_return_state":
        out, h, c = L.LSTM(3, return_state=True, name="layer")(x)
        y = L.Dense(2, name="dense")(L.Concatenate(name="concat")([out, h, c]))
    else:
        a, b, hf, hb = L.Bidirectional(L.SimpleRNN(2, return_state=True, name="simple_rnn"), merge_mode=None,
                                       name="layer")(x)
        y = L.Dense(2, name="dense")(L.Concatenate(name="concat")([a, b, hf, hb]))
    return keras.Model(x, y, name=name)


NAMES = list(CASES) + FUNCTIONAL


def build(name):
    if name in FUNCTIONAL:
        return functional(name)
    return keras.Sequential(CASES[name](), name=name)


def inputs(name, model, rng):
    shape = model.input_shape
    if model.inputs[0].dtype == "int32":
        x = rng.integers(1, 10, size=(4,) + tuple(shape[1:])).astype("int32")
        x[0, 4:] = 0  # right padding
        # All padding, but one step before a masked mean (Keras's is 0 / 0 on an empty row)
        pooled = any(isinstance(layer, L.GlobalAveragePooling1D) for layer in model.layers)
        x[1, 1 if pooled else 0:] = 0
        x[2, 1] = 0  # a masked step inside
        x[3, :2] = 0  # left padding
        return x
    return rng.normal(size=(4,) + tuple(shape[1:])).astype("float32")


def make(folder):
    for i, name in enumerate(NAMES):
        keras.utils.set_random_seed(200 + i)
        model = build(name)
        rng = np.random.default_rng(i)
        x = inputs(name, model, rng)
        if name == "text_classifier":
            y = rng.integers(0, 2, size=(4, 1)).astype("float32")
            model.compile(optimizer="adam", loss="binary_crossentropy")
        else:
            y = rng.normal(size=(4,) + model.output_shape[1:]).astype("float32")
            model.compile(optimizer="adam", loss="mse")
        with open(os.path.join(folder, name + ".summary.txt"), "w", encoding="utf-8") as f:
            f.write(interop_files.summary_text(model))
        model.optimizer.learning_rate = 0.1
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
        model.optimizer.learning_rate = 0.001
        model.save(os.path.join(folder, name + ".keras"))
        np.save(os.path.join(folder, name + ".x.npy"), x)
        np.save(os.path.join(folder, name + ".y.npy"), y)
        np.save(os.path.join(folder, name + ".pred.npy"), model.predict(x, verbose=0))
    print("made", len(NAMES), "models")


if __name__ == "__main__":
    {"make": make, "check": lambda folder: interop_files.check(folder, NAMES)}[sys.argv[1]](
        sys.argv[2])
