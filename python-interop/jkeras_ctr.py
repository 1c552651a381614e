"""CTR interaction layers for Keras 3: the Python twins of jkeras' io.jkeras.layers CTR layers.

Each class is registered as ``jkeras>ClassName`` with the config keys, weight names, shapes and
creation order of its Java twin, so ``.keras`` files cross between Python and Java both ways.
Inputs are field embeddings ``(batch, fields, k)`` unless said otherwise. Pairs of fields are
taken ``i < j`` in row-major order: (0,1), (0,2), ..., (0,F-1), (1,2), ...

* ``FactorizationMachine(reduce_sum=True)``: ``0.5 * sum_f [(sum_i e_if)^2 - sum_i e_if^2]``,
  (batch, 1); (batch, k) before the sum over f with ``reduce_sum=False`` (Rendle, ICDM 2010).
* ``BiInteractionPooling()``: NFM's ``sum_{i<j} e_i * e_j``, (batch, k) (He and Chua, SIGIR 2017).
* ``FieldWeightedFM(kernel_initializer="ones")``: ``sum_{i<j} r_ij <e_i, e_j>``, (batch, 1);
  weight ``field_pair_weights`` (pairs, 1) (Pan et al., WWW 2018).
* ``AttentionalFM(attention_units=8)``: softmax attention over the pair products, projected,
  (batch, 1); weights ``attention_kernel`` (k, t), ``attention_bias`` (t,),
  ``attention_projection`` (t, 1), ``projection`` (k, 1) (Xiao et al., IJCAI 2017).
* ``InnerProduct()``: PNN's ``<e_i, e_j>`` for every pair, (batch, pairs) (Qu et al., ICDM 2016).
* ``CrossNet(num_layers=2)``: DCN, input (batch, d): ``x_{l+1} = x0 * (x_l @ w_l) + b_l + x_l``;
  weights ``kernel_l`` (d, 1), ``bias_l`` (d,) (Wang et al., ADKDD 2017).
* ``CIN(layer_sizes=(128, 128), activation="relu")``: xDeepFM's compressed interaction network,
  (batch, sum(layer_sizes)); weights ``kernel_l`` (H_{l-1} * F, H_l), ``bias_l`` (H_l,), kernel
  row ``i * F + j`` for (map i of the previous layer, field j) (Lian et al., KDD 2018).

DLRM's DotInteraction and DCN-v2's FeatureCross are keras-rs's own layers: use keras_rs.layers.

Example::

    import keras
    from jkeras_ctr import FactorizationMachine

    ids = keras.Input(shape=(10,), dtype="int32")
    e = keras.layers.Embedding(5382, 16)(ids)
    fm = FactorizationMachine()(e)            # (None, 1)
"""

import keras
from keras import ops


def _pairs(fields):
    left, right = [], []
    for i in range(fields):
        for j in range(i + 1, fields):
            left.append(i)
            right.append(j)
    return left, right


def _check_fields(layer, shape):
    if len(shape) != 3 or shape[1] is None or shape[1] < 2 or shape[2] is None:
        raise ValueError(
            f"Layer '{layer.name}' ({type(layer).__name__}): expected field embeddings "
            f"(batch, fields >= 2, k) with fields and k known, got {shape}"
        )


def _pairwise_sum(e):
    s = ops.sum(e, axis=1)
    return 0.5 * (s * s - ops.sum(e * e, axis=1))


@keras.saving.register_keras_serializable(package="jkeras")
class FactorizationMachine(keras.layers.Layer):
    """FM's second-order term over field embeddings; see the module docstring."""

    def __init__(self, reduce_sum=True, **kwargs):
        super().__init__(**kwargs)
        self.reduce_sum = bool(reduce_sum)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def call(self, e):
        half = _pairwise_sum(e)
        return ops.sum(half, axis=1, keepdims=True) if self.reduce_sum else half

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1 if self.reduce_sum else input_shape[2])

    def get_config(self):
        config = super().get_config()
        config["reduce_sum"] = self.reduce_sum
        return config


@keras.saving.register_keras_serializable(package="jkeras")
class BiInteractionPooling(keras.layers.Layer):
    """NFM's Bi-Interaction pooling; see the module docstring."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def call(self, e):
        return _pairwise_sum(e)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[2])


class _PairLayer(keras.layers.Layer):
    def _build_pairs(self, input_shape):
        _check_fields(self, input_shape)
        self._left, self._right = _pairs(input_shape[1])

    def _products(self, e):
        return ops.take(e, self._left, axis=1) * ops.take(e, self._right, axis=1)


@keras.saving.register_keras_serializable(package="jkeras")
class InnerProduct(_PairLayer):
    """PNN's pairwise inner products; see the module docstring."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, input_shape):
        self._build_pairs(input_shape)

    def call(self, e):
        return ops.sum(self._products(e), axis=2)

    def compute_output_shape(self, input_shape):
        f = input_shape[1]
        return (input_shape[0], f * (f - 1) // 2)


@keras.saving.register_keras_serializable(package="jkeras")
class FieldWeightedFM(_PairLayer):
    """FwFM's field-pair weighted interactions; see the module docstring."""

    def __init__(self, kernel_initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, input_shape):
        self._build_pairs(input_shape)
        self.field_pair_weights = self.add_weight(
            name="field_pair_weights",
            shape=(len(self._left), 1),
            initializer=self.kernel_initializer,
        )

    def call(self, e):
        return ops.matmul(ops.sum(self._products(e), axis=2), self.field_pair_weights)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        config = super().get_config()
        config["kernel_initializer"] = keras.initializers.serialize(self.kernel_initializer)
        return config


@keras.saving.register_keras_serializable(package="jkeras")
class AttentionalFM(_PairLayer):
    """AFM's attention-weighted pair pooling; see the module docstring."""

    def __init__(self, attention_units=8, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if isinstance(attention_units, bool) or int(attention_units) != attention_units or attention_units <= 0:
            raise ValueError(
                f"AttentionalFM: attention_units must be a positive integer, got {attention_units!r}"
            )
        self.attention_units = int(attention_units)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, input_shape):
        self._build_pairs(input_shape)
        k = input_shape[2]
        t = self.attention_units
        self.attention_kernel = self.add_weight(
            name="attention_kernel", shape=(k, t), initializer=self.kernel_initializer
        )
        self.attention_bias = self.add_weight(name="attention_bias", shape=(t,), initializer="zeros")
        self.attention_projection = self.add_weight(
            name="attention_projection", shape=(t, 1), initializer=self.kernel_initializer
        )
        self.projection = self.add_weight(
            name="projection", shape=(k, 1), initializer=self.kernel_initializer
        )

    def call(self, e):
        p = self._products(e)  # (batch, pairs, k)
        hidden = ops.relu(ops.matmul(p, self.attention_kernel) + self.attention_bias)
        scores = ops.squeeze(ops.matmul(hidden, self.attention_projection), axis=2)
        a = ops.softmax(scores, axis=1)
        weighted = ops.sum(p * ops.expand_dims(a, 2), axis=1)
        return ops.matmul(weighted, self.projection)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        config = super().get_config()
        config["attention_units"] = self.attention_units
        config["kernel_initializer"] = keras.initializers.serialize(self.kernel_initializer)
        return config


@keras.saving.register_keras_serializable(package="jkeras")
class CrossNet(keras.layers.Layer):
    """DCN's cross network with vector weights; see the module docstring."""

    def __init__(self, num_layers=2, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_layers, bool) or int(num_layers) != num_layers or num_layers <= 0:
            raise ValueError(f"CrossNet: num_layers must be a positive integer, got {num_layers!r}")
        self.num_layers = int(num_layers)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        d = input_shape[-1]
        self.kernels, self.biases = [], []
        for i in range(self.num_layers):
            self.kernels.append(
                self.add_weight(name=f"kernel_{i}", shape=(d, 1), initializer=self.kernel_initializer)
            )
            self.biases.append(self.add_weight(name=f"bias_{i}", shape=(d,), initializer="zeros"))

    def call(self, x0):
        x = x0
        for w, b in zip(self.kernels, self.biases):
            x = x0 * ops.matmul(x, w) + b + x
        return x

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["num_layers"] = self.num_layers
        config["kernel_initializer"] = keras.initializers.serialize(self.kernel_initializer)
        return config


@keras.saving.register_keras_serializable(package="jkeras")
class CIN(keras.layers.Layer):
    """xDeepFM's compressed interaction network; see the module docstring."""

    def __init__(
        self, layer_sizes=(128, 128), activation="relu", kernel_initializer="glorot_uniform", **kwargs
    ):
        super().__init__(**kwargs)
        sizes = [int(h) for h in layer_sizes]
        if not sizes or any(h <= 0 for h in sizes):
            raise ValueError(f"CIN: layer_sizes must be positive integers, got {layer_sizes!r}")
        self.layer_sizes = sizes
        self.activation = keras.activations.get(activation)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, input_shape):
        _check_fields(self, input_shape)
        fields = input_shape[1]
        previous = fields
        self.kernels, self.biases = [], []
        for i, h in enumerate(self.layer_sizes):
            self.kernels.append(
                self.add_weight(
                    name=f"kernel_{i}", shape=(previous * fields, h), initializer=self.kernel_initializer
                )
            )
            self.biases.append(self.add_weight(name=f"bias_{i}", shape=(h,), initializer="zeros"))
            previous = h

    def call(self, e):
        fields, k = e.shape[1], e.shape[2]
        x0 = ops.transpose(e, (0, 2, 1))  # (batch, k, F)
        x = x0
        previous = fields
        pooled = []
        for w, b, h in zip(self.kernels, self.biases, self.layer_sizes):
            # (batch, k, H, F): the outer product as a batched (H, 1) x (1, F) matmul
            z = ops.matmul(ops.expand_dims(x, 3), ops.expand_dims(x0, 2))
            z = ops.reshape(z, (-1, k, previous * fields))
            x = self.activation(ops.matmul(z, w) + b)  # (batch, k, h)
            pooled.append(ops.sum(x, axis=1))
            previous = h
        return pooled[0] if len(pooled) == 1 else ops.concatenate(pooled, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], sum(self.layer_sizes))

    def get_config(self):
        config = super().get_config()
        config["layer_sizes"] = list(self.layer_sizes)
        config["activation"] = keras.activations.serialize(self.activation)
        config["kernel_initializer"] = keras.initializers.serialize(self.kernel_initializer)
        return config
