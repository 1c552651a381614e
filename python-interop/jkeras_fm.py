"""FMLayer for Keras 3: the Python twin of jkeras' io.jkeras.layers.FMLayer.

A Factorization Machine layer (Rendle, 2010). For an input x of shape (batch, n) it
returns ``activation(x @ one + p + bias)``, shape (batch, output_dim), where p is one
pairwise-interaction value per sample, shape (batch, 1), added to every unit:

* ``interaction="fm"`` (default), the Factorization Machine term
  ``p = sum_{i<j} <v_i, v_j> x_i x_j``, computed in O(n k) as
  ``0.5 * sum_f [ (x @ two)_f ** 2 - ((x ** 2) @ (two ** 2))_f ]``;
* ``interaction="seed"``, the expression of the Keras FMLayer jkeras started from, which
  leaves out the first square: ``0.5 * sum_f [ (x @ two)_f - ((x ** 2) @ (two ** 2))_f ]``.
  Use it only to reproduce models trained with that layer.

Weights are created in this order, with these names and shapes, so that .keras and .h5
files line up with the Java layer: ``one`` (n, output_dim) glorot_uniform, ``two``
(n, factor_order) glorot_uniform, ``bias`` (output_dim,) zeros.

The class is registered as ``jkeras>FMLayer``: importing this module is enough for
``keras.saving.load_model`` to rebuild models that use it.

Example::

    import keras
    from jkeras_fm import FMLayer

    inputs = keras.Input(shape=(250,))
    outputs = FMLayer(200, 100)(inputs)          # 250*200 + 250*100 + 200 = 75,200 params
    model = keras.Model(inputs, outputs)
"""

import numbers

import keras
from keras import ops

INTERACTIONS = ("fm", "seed")


def _positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"FMLayer: {name} must be a positive integer, got {value!r}")
    return int(value)


@keras.saving.register_keras_serializable(package="jkeras")
class FMLayer(keras.layers.Layer):
    """Factorization Machine layer; see the module docstring for the formula."""

    def __init__(self, output_dim, factor_order, activation=None, interaction="fm", **kwargs):
        super().__init__(**kwargs)
        output_dim = _positive_int("output_dim", output_dim)
        factor_order = _positive_int("factor_order", factor_order)
        mode = str(interaction).lower()
        if mode not in INTERACTIONS:
            raise ValueError(
                f"FMLayer: interaction must be one of {list(INTERACTIONS)}, got {interaction!r}"
            )
        self.output_dim = output_dim
        self.factor_order = factor_order
        self.activation = keras.activations.get(activation)
        self.interaction = mode
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        n = input_shape[-1]
        if n is None:
            raise ValueError(
                f"Layer '{self.name}' (FMLayer): the feature axis must be known, "
                f"got input shape {input_shape}"
            )
        self.one = self.add_weight(
            name="one", shape=(n, self.output_dim), initializer="glorot_uniform"
        )
        self.two = self.add_weight(
            name="two", shape=(n, self.factor_order), initializer="glorot_uniform"
        )
        self.bias = self.add_weight(name="bias", shape=(self.output_dim,), initializer="zeros")
        self.input_spec = keras.layers.InputSpec(ndim=2, axes={-1: n})

    def call(self, inputs):
        x = inputs
        linear = ops.matmul(x, self.one)
        xv = ops.matmul(x, self.two)  # (batch, k): sum_i x_i v_if
        x2v2 = ops.matmul(ops.square(x), ops.square(self.two))  # (batch, k): sum_i x_i^2 v_if^2
        first = ops.square(xv) if self.interaction == "fm" else xv
        pairwise = 0.5 * ops.sum(first - x2v2, axis=1, keepdims=True)  # (batch, 1)
        return self.activation(linear + pairwise + self.bias)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "output_dim": self.output_dim,
                "factor_order": self.factor_order,
                "activation": keras.activations.serialize(self.activation),
                "interaction": self.interaction,
            }
        )
        return config
