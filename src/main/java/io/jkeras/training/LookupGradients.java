package io.jkeras.training;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unique;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * The embedding tables of a training step that the loss reads only through row lookups ({@code
 * GatherV2} on axis 0, as {@link io.jkeras.layers.Embedding} emits), and their gradients as rows:
 * the gradient is taken with respect to the looked-up rows instead of the table, so that a step
 * costs the batch's rows, not the table's size. TensorFlow's own gradient of a lookup would be a
 * table-sized {@code UnsortedSegmentSum}.
 */
final class LookupGradients {

  private final Set<GraphOperation> upstream;

  /** For the loss {@code loss}: only ops it depends on count as reads of a table. */
  LookupGradients(Operand<?> loss) {
    upstream = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    todo.add((GraphOperation) loss.op());
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (upstream.add(op)) {
        for (int i = 0; i < op.numInputs(); i++) {
          todo.push((GraphOperation) op.input(i).op());
        }
      }
    }
  }

  /**
   * The lookups through which the loss reads {@code table} (the variable's output), or null when
   * the loss also reads it otherwise (a regularizer, a matmul, a lookup on another axis) or not at
   * all. A lookup may read the table through {@code Identity} ops.
   */
  List<GraphOperation> lookupsOf(Output<?> table) {
    List<GraphOperation> lookups = new ArrayList<>();
    return collect(table, lookups) && !lookups.isEmpty() ? lookups : null;
  }

  private boolean collect(Output<?> tensor, List<GraphOperation> lookups) {
    GraphOperation producer = (GraphOperation) tensor.op();
    for (GraphOperation c : producer.consumers(tensor.index())) {
      if (!upstream.contains(c)) {
        continue;
      }
      if (c.type().equals("Identity")) {
        if (!collect(c.output(0), lookups)) {
          return false;
        }
      } else if (isRowLookup(c, tensor)) {
        lookups.add(c);
      } else {
        return false;
      }
    }
    return true;
  }

  /** {@code GatherV2(table, ids, 0)} with batch_dims 0, the table being only its first input. */
  private static boolean isRowLookup(GraphOperation op, Output<?> table) {
    if (!op.type().equals("GatherV2") || !sameTensor(op.input(0), table)) {
      return false;
    }
    if (sameTensor(op.input(1), table) || sameTensor(op.input(2), table)) {
      return false;
    }
    AttrValue batchDims = op.attributes().getAttrValueProto("batch_dims");
    if (batchDims != null && batchDims.getI() != 0) {
      return false;
    }
    GraphOperation axis = (GraphOperation) op.input(2).op();
    if (!axis.type().equals("Const")) {
      return false;
    }
    TensorProto value = axis.attributes().getAttrValueProto("value").getTensor();
    long a =
        value.getIntValCount() > 0
            ? value.getIntVal(0)
            : value.getInt64ValCount() > 0 ? value.getInt64Val(0) : -1;
    return a == 0 && value.getTensorShape().getDimCount() == 0;
  }

  private static boolean sameTensor(Output<?> a, Output<?> b) {
    return a.op().name().equals(b.op().name()) && a.index() == b.index();
  }

  /**
   * The table's gradient as its distinct looked-up row ids and their summed gradient rows (a row
   * looked up several times gets the sum of its gradients, as in the dense gradient): {@code grads}
   * are the gradients with respect to the outputs of {@code lookups} (null entries for lookups the
   * loss does not differentiate through). Returns {@code [ids (int64), rows]}, or null when no
   * lookup has a gradient.
   */
  static Operand<?>[] rows(
      Ops tf, List<GraphOperation> lookups, List<Output<?>> grads, long width) {
    List<Operand<TInt64>> ids = new ArrayList<>();
    List<Operand<TFloat32>> rows = new ArrayList<>();
    for (int i = 0; i < lookups.size(); i++) {
      if (grads.get(i) == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Operand<TNumber> lookedUp = (Operand<TNumber>) lookups.get(i).input(1);
      ids.add(tf.reshape(tf.dtypes.cast(lookedUp, TInt64.class), tf.constant(new long[] {-1})));
      @SuppressWarnings("unchecked")
      Operand<TFloat32> gr = (Operand<TFloat32>) grads.get(i);
      rows.add(tf.reshape(gr, tf.constant(new long[] {-1, width})));
    }
    if (ids.isEmpty()) {
      return null;
    }
    Operand<TInt64> allIds = ids.size() == 1 ? ids.get(0) : tf.concat(ids, tf.constant(0));
    Operand<TFloat32> allRows = rows.size() == 1 ? rows.get(0) : tf.concat(rows, tf.constant(0));
    Unique<TInt64, TInt64> unique = tf.unique(allIds, tf.constant(new long[] {0}), TInt64.class);
    Operand<TFloat32> summed =
        tf.math.unsortedSegmentSum(allRows, unique.idx(), tf.size(unique.y(), TInt64.class));
    return new Operand<?>[] {unique.y(), summed};
  }
}
