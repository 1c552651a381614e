package io.jkeras.distribute;

import io.jkeras.backend.GraphSession;
import io.jkeras.layers.Weight;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import io.jkeras.optimizers.Optimizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.DeviceSpec;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow checkpoint (the {@code SaveV2}/{@code RestoreV2} bundle format) of a model's and its
 * optimizer's variables, written and read by the task that holds each variable: under the
 * parameter-server strategy every ps task writes its own variables, a table split into row shards
 * shard by shard, into one bundle of its own in the checkpoint folder, and no value passes through
 * the chief. {@link ChiefCheckpoint} uses it for models with split tables, which may be larger than
 * any one machine's memory; the folder must be one path that every task can write (a shared file
 * system), as for the chief's other checkpoint files.
 *
 * <p>Bundle entries are named by the variables' op names, so a model rebuilt the same way (same
 * layer names) in a new cluster reads them back.
 */
final class ShardedCheckpoint {

  private final GraphSession graph;
  private final Placeholder<TString> folder;
  private final List<Op> saves = new ArrayList<>();
  private final List<Op> restores = new ArrayList<>();

  /** The save and restore ops of every variable of {@code model} and its optimizer. */
  ShardedCheckpoint(Model model) {
    graph = ModelRuntime.of(model).graphSession();
    Map<String, List<Variable<?>>> byDevice = new TreeMap<>();
    for (Weight w : model.weights()) {
      for (Variable<?> v : w.graphVariable().shards()) {
        byDevice.computeIfAbsent(((GraphOperation) v.op()).device(), d -> new ArrayList<>()).add(v);
      }
    }
    Optimizer optimizer = model.optimizer();
    if (optimizer != null) {
      for (Variable<?> v : optimizer.variables()) {
        byDevice.computeIfAbsent(((GraphOperation) v.op()).device(), d -> new ArrayList<>()).add(v);
      }
    }
    Ops tf = graph.tf().withSubScope("sharded_checkpoint");
    folder = tf.placeholder(TString.class);
    for (Map.Entry<String, List<Variable<?>>> e : byDevice.entrySet()) {
      String device = e.getKey();
      List<Variable<?>> vars = e.getValue();
      Ops at = device.isEmpty() ? tf : tf.withDevice(taskOf(device));
      Operand<TString> prefix =
          at.strings.join(List.of(folder, at.constant("/" + bundleName(device))));
      String[] names = new String[vars.size()];
      String[] slices = new String[vars.size()];
      List<Operand<?>> values = new ArrayList<>();
      List<Class<? extends TType>> types = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        names[i] = vars.get(i).op().name();
        slices[i] = ""; // the whole variable
        values.add(vars.get(i));
        types.add(vars.get(i).type());
      }
      Operand<TString> entryNames = at.constant(NdArrays.vectorOfObjects(names));
      Operand<TString> entrySlices = at.constant(NdArrays.vectorOfObjects(slices));
      saves.add(at.train.save(prefix, entryNames, entrySlices, values));
      Restore read = at.train.restore(prefix, entryNames, entrySlices, types);
      for (int i = 0; i < names.length; i++) {
        restores.add(assign(at, vars.get(i), read.tensors().get(i)));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Op assign(Ops at, Variable<T> variable, Operand<?> value) {
    return at.assign(variable, (Operand<T>) value);
  }

  /** The task part ({@code /job:ps/replica:0/task:1}) of a device string such as an op's. */
  static DeviceSpec taskOf(String device) {
    DeviceSpec.Builder b = DeviceSpec.newBuilder();
    for (String part : device.split("/")) {
      int colon = part.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String value = part.substring(colon + 1);
      switch (part.substring(0, colon)) {
        case "job" -> b.job(value);
        case "replica" -> b.replica(Integer.valueOf(value));
        case "task" -> b.task(Integer.valueOf(value));
        default -> {} // the device within the task: the ops run on its CPU
      }
    }
    return b.build();
  }

  /** "/job:ps/replica:0/task:1" as "job_ps_replica_0_task_1"; "local" for an unplaced variable. */
  static String bundleName(String device) {
    String name = device.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
    return name.isEmpty() ? "local" : name;
  }

  /** Every task writes its variables into {@code dir} (one bundle per device). */
  void save(Path dir) {
    run(saves, dir, "writing");
  }

  /** Every task reads its variables back from the bundles in {@code dir}. */
  void restore(Path dir) {
    run(restores, dir, "reading");
  }

  private void run(List<Op> targets, Path dir, String what) {
    try (TString path = TString.scalarOf(dir.toAbsolutePath().toString())) {
      Session.Runner runner = graph.session().runner().feed(folder, path);
      targets.forEach(runner::addTarget);
      runner.run().close();
    } catch (TensorFlowException e) {
      throw new IllegalStateException(
          "Checkpoint "
              + dir
              + ": "
              + what
              + " the variables where they live failed (each task with variables must reach this"
              + " folder, and a restored model must have the same layers and ps tasks): "
              + e.getMessage(),
          e);
    }
  }
}
