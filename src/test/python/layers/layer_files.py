"""Python Keras's side of the layer file tests (LayerFilesInteropTest): pooling, convolution and
numeric preprocessing layers.

Usage:
  layer_files.py make DIR    one small model per case (below): NAME.keras (compiled,
                                     trained one step so biases are not zero,
                                     when it has weights), NAME.x.npy,
                                     NAME.y.npy, NAME.pred.npy, NAME.summary.txt (COLUMNS=80,
                                     before training)
  layer_files.py check DIR   loads what Java wrote: java_NAME.keras (the Python model
                                     trained further by Java) must predict java_NAME.pred.npy;
                                     jb_NAME.keras (built with jkeras's API, Python's weights)
                                     must predict NAME.pred.npy and hold the same layer config

Every case is Sequential([Input, layer, ...]) (a float32 input unless the case says otherwise);
"cnn" is Conv2D, MaxPooling2D, Conv2D, Flatten, Dense.
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

# name -> (input shape without batch, layer factory); see also PREPROCESSING
CASES = {
    "max_pooling1d": ((9, 3), lambda: L.MaxPooling1D(name="layer")),
    "max_pooling1d_same": ((9, 3), lambda: L.MaxPooling1D(3, strides=2, padding="same", name="layer")),
    "average_pooling1d": ((9, 3), lambda: L.AveragePooling1D(2, name="layer")),
    "average_pooling1d_same": (
        (8, 3), lambda: L.AveragePooling1D(3, strides=1, padding="same", name="layer")),
    "max_pooling2d": ((8, 7, 3), lambda: L.MaxPooling2D(name="layer")),
    "max_pooling2d_same": (
        (7, 8, 3), lambda: L.MaxPooling2D((3, 2), strides=(2, 1), padding="same", name="layer")),
    "average_pooling2d": ((8, 7, 3), lambda: L.AveragePooling2D(2, name="layer")),
    "average_pooling2d_same": (
        (7, 8, 3), lambda: L.AveragePooling2D(3, strides=2, padding="same", name="layer")),
    "global_max_pooling2d": ((5, 4, 3), lambda: L.GlobalMaxPooling2D(name="layer")),
    "global_average_pooling2d_keepdims": (
        (5, 4, 3), lambda: L.GlobalAveragePooling2D(keepdims=True, name="layer")),
    "conv2d": ((8, 7, 3), lambda: L.Conv2D(4, 3, name="layer")),
    "conv2d_options": (
        (9, 8, 6),
        lambda: L.Conv2D(6, (3, 2), strides=2, padding="same", groups=3, activation="relu",
                         kernel_initializer="he_normal", name="layer")),
    "conv2d_dilated": (
        (9, 9, 2),
        lambda: L.Conv2D(3, 3, dilation_rate=(2, 1), padding="same", use_bias=False,
                         name="layer")),
    "conv2d_transpose": ((4, 5, 3), lambda: L.Conv2DTranspose(4, 3, name="layer")),
    "conv2d_transpose_options": (
        (4, 5, 3),
        lambda: L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=1,
                                  activation="tanh", name="layer")),
    "depthwise_conv2d": ((6, 6, 3), lambda: L.DepthwiseConv2D(3, name="layer")),
    "depthwise_conv2d_options": (
        (7, 6, 3),
        lambda: L.DepthwiseConv2D((3, 2), depth_multiplier=2, strides=2, padding="same",
                                  name="layer")),
    "separable_conv1d": ((9, 3), lambda: L.SeparableConv1D(4, 3, name="layer")),
    "separable_conv1d_options": (
        (9, 3),
        lambda: L.SeparableConv1D(4, 3, depth_multiplier=2, dilation_rate=2, padding="same",
                                  activation="relu", name="layer")),
    "separable_conv2d": ((6, 7, 3), lambda: L.SeparableConv2D(4, 3, name="layer")),
    "separable_conv2d_options": (
        (6, 7, 3),
        lambda: L.SeparableConv2D(5, (2, 3), strides=(2, 1), padding="same", depth_multiplier=2,
                                  name="layer")),
    "conv1d_transpose": ((6, 3), lambda: L.Conv1DTranspose(4, 3, name="layer")),
    "conv1d_transpose_options": (
        (6, 3),
        lambda: L.Conv1DTranspose(2, 3, strides=2, padding="same", output_padding=1,
                                  activation="tanh", name="layer")),
    "conv1d_transpose_dilated_channels_first": (
        (3, 7),
        lambda: L.Conv1DTranspose(2, 3, dilation_rate=2, data_format="channels_first",
                                  name="layer")),
    "depthwise_conv1d": ((7, 3), lambda: L.DepthwiseConv1D(3, name="layer")),
    "depthwise_conv1d_options": (
        (8, 3),
        lambda: L.DepthwiseConv1D(3, depth_multiplier=2, strides=2, padding="same",
                                  activation="relu", name="layer")),
    "conv3d": ((4, 5, 6, 2), lambda: L.Conv3D(3, 2, name="layer")),
    "conv3d_options": (
        (5, 6, 5, 4),
        lambda: L.Conv3D(4, (2, 3, 2), strides=(1, 2, 1), padding="same", groups=2,
                         activation="relu", name="layer")),
    "conv3d_dilated_channels_first": (
        (2, 5, 6, 5),
        lambda: L.Conv3D(3, 2, dilation_rate=(2, 1, 2), data_format="channels_first",
                         use_bias=False, name="layer")),
    "conv3d_transpose": ((3, 4, 3, 2), lambda: L.Conv3DTranspose(3, 2, name="layer")),
    "conv3d_transpose_options": (
        (3, 3, 4, 2),
        lambda: L.Conv3DTranspose(2, (3, 2, 3), strides=2, padding="same", output_padding=1,
                                  activation="tanh", name="layer")),
    "conv3d_transpose_dilated_channels_first": (
        (2, 3, 4, 3),
        lambda: L.Conv3DTranspose(2, 2, dilation_rate=(2, 1, 2), data_format="channels_first",
                                  padding="same", name="layer")),
    "max_pooling3d": ((4, 6, 5, 2), lambda: L.MaxPooling3D(name="layer")),
    "max_pooling3d_same": (
        (5, 4, 5, 2),
        lambda: L.MaxPooling3D((2, 3, 2), strides=(1, 2, 2), padding="same", name="layer")),
    "average_pooling3d_same": (
        (5, 4, 5, 2), lambda: L.AveragePooling3D(3, strides=2, padding="same", name="layer")),
    "average_pooling3d_channels_first": (
        (2, 4, 6, 4), lambda: L.AveragePooling3D(2, data_format="channels_first", name="layer")),
    "global_max_pooling3d": ((3, 4, 5, 2), lambda: L.GlobalMaxPooling3D(name="layer")),
    "global_average_pooling3d_keepdims": (
        (3, 4, 5, 2), lambda: L.GlobalAveragePooling3D(keepdims=True, name="layer")),
    "rms_normalization": ((5, 4), lambda: L.RMSNormalization(name="layer")),
    "rms_normalization_axes": (
        (3, 4), lambda: L.RMSNormalization(axis=[1, 2], epsilon=0.1, name="layer")),
    "alpha_dropout": (
        (5, 4), lambda: L.AlphaDropout(0.3, noise_shape=(None, 1, 4), seed=3, name="layer")),
}


def adapted_normalization():
    layer = L.Normalization(name="layer")
    layer.adapt(np.array([[[1.0, -2.0], [3.0, 0.5]], [[0.0, 4.0], [2.5, 1.5]]], dtype="float32"))
    return layer


# name -> (input shape, input dtype, factory of the layers after the input)
PREPROCESSING = {
    "rescaling": ((4,), "float32", lambda: [L.Rescaling(1 / 255.0, offset=-0.5, name="layer")]),
    "rescaling_per_channel": (
        (2, 3), "float32",
        lambda: [L.Rescaling([0.5, 2.0, -1.0], offset=[0.1, 0.2, 0.3], name="layer")]),
    "normalization": (
        (3,), "float32",
        lambda: [L.Normalization(mean=[1, 2, 3], variance=[1, 4, 9], name="layer")]),
    "normalization_adapted": ((2, 2), "float32", lambda: [adapted_normalization()]),
    "normalization_whole_input_inverted": (
        (3,), "float32",
        lambda: [L.Normalization(axis=None, mean=2.0, variance=3.0, invert=True, name="layer")]),
    "discretization_to_embedding": (
        (5,), "float32",
        lambda: [L.Discretization(bin_boundaries=[-0.5, 0.0, 0.5], name="layer"),
                 L.Embedding(4, 2, name="embedding"), L.Flatten(name="flatten")]),
    "discretization_one_hot": (
        (1,), "float32",
        lambda: [L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot",
                                  name="layer")]),
    "hashing_to_embedding": (
        (3,), "int64",
        lambda: [L.Hashing(7, name="layer"), L.Embedding(7, 2, name="embedding"),
                 L.Flatten(name="flatten")]),
    "hashing_salted_multi_hot": (
        (3,), "int32",
        lambda: [L.Hashing(6, salt=13, mask_value=0, output_mode="multi_hot", name="layer")]),
    "integer_lookup_to_embedding": (
        (4,), "int64",
        lambda: [L.IntegerLookup(vocabulary=[12, 3, 1138, 5], name="layer"),
                 L.Embedding(5, 2, name="embedding"), L.Flatten(name="flatten")]),
    "integer_lookup_mask_two_oov_count": (
        (3,), "int32",
        lambda: [L.IntegerLookup(vocabulary=[3, 1, 4], num_oov_indices=2, mask_token=0,
                                 output_mode="count", name="layer")]),
    "category_encoding": ((3,), "int32", lambda: [L.CategoryEncoding(6, name="layer")]),
    "category_encoding_one_hot": (
        (1,), "int32", lambda: [L.CategoryEncoding(4, output_mode="one_hot", name="layer")]),
    "category_encoding_count": (
        (4,), "int64", lambda: [L.CategoryEncoding(5, output_mode="count", name="layer"),
                                L.Dense(2, name="dense")]),
}


def cnn():
    return keras.Sequential(
        [
            keras.Input((12, 12, 1)),
            L.Conv2D(4, 3, activation="relu", name="conv"),
            L.MaxPooling2D(name="pool"),
            L.Conv2D(6, 3, padding="same", activation="relu", name="conv_2"),
            L.Flatten(name="flatten"),
            L.Dense(3, activation="softmax", name="probs"),
        ],
        name="cnn",
    )


def build(name):
    if name == "cnn":
        return cnn()
    if name in PREPROCESSING:
        shape, dtype, factory = PREPROCESSING[name]
        return keras.Sequential([keras.Input(shape, dtype=dtype)] + factory(), name=name)
    shape, factory = CASES[name]
    return keras.Sequential([keras.Input(shape), factory()], name=name)


def inputs(name, model, rng):
    if name in PREPROCESSING and PREPROCESSING[name][1] != "float32":
        shape, dtype, _ = PREPROCESSING[name]
        # Ids up to 6 (some beyond the encodings' range; Keras refuses negative ones there),
        # lookups get -1 too, hashing large ones.
        if name.startswith("hashing"):
            top = 2**31 - 1 if dtype == "int32" else 10**12
            x = rng.integers(-3, top, size=(4,) + shape)
            x[0, 0] = 0  # the mask value
            return x.astype(dtype)
        low = -1 if name.startswith("integer_lookup") else 0
        return rng.integers(low, 7, size=(4,) + shape).astype(dtype)
    return rng.normal(size=(4,) + model.input_shape[1:]).astype("float32")


NAMES = list(CASES) + list(PREPROCESSING) + ["cnn"]


def make(folder):
    for i, name in enumerate(NAMES):
        keras.utils.set_random_seed(100 + i)
        model = build(name)
        rng = np.random.default_rng(i)
        x = inputs(name, model, rng)
        if name == "cnn":
            y = np.eye(3, dtype="float32")[rng.integers(0, 3, size=4)]
            model.compile(optimizer="adam", loss="categorical_crossentropy")
        else:
            y = rng.normal(size=(4,) + model.output_shape[1:]).astype("float32")
            model.compile(optimizer="adam", loss="mse")
        # Before training: jkeras's summary does not count the optimizer state of a loaded model.
        with open(os.path.join(folder, name + ".summary.txt"), "w", encoding="utf-8") as f:
            f.write(interop_files.summary_text(model))
        if model.trainable_weights:
            # One step with a large rate moves the biases off zero, so loading them is tested.
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
