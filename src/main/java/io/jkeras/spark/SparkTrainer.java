package io.jkeras.spark;

import io.jkeras.distribute.MultiWorkerMirroredStrategy;
import io.jkeras.distribute.ParameterServerStrategy;
import io.jkeras.distribute.Partitioner;
import io.jkeras.distribute.Strategy;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.BarrierJobUnsupportedRDDChainException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Trains a Keras model on a Spark {@code Dataset<Row>} with synchronous data parallelism ({@link
 * MultiWorkerMirroredStrategy}, the default) or asynchronously on parameter servers ({@link
 * ParameterServerStrategy}, with {@link Builder#parameterServers}): one worker per partition, all
 * started together in a Spark barrier stage. Each barrier task picks a free port, the tasks
 * exchange {@code host:port} and row counts with {@code BarrierTaskContext.allGather}, and each
 * starts its TensorFlow task (worker i of the cluster; worker 0 is the chief) which builds the
 * model with the {@link ModelFactory} inside the strategy's scope and fits it on its partition's
 * rows. The chief's trained model and every worker's history come back to the driver as a {@link
 * TrainingResult}.
 *
 * <p>With {@code parameterServers(n)}, barrier tasks {@code 0..n-1} also start ps task {@code i}
 * (its address in the same {@code allGather}), which holds the variables and their optimizer slots
 * (embedding tables in row shards with {@link Builder#variablePartitioner}) and serves until every
 * worker has reported that it finished; the workers step on their own, each on all its partition's
 * rows, and the chief waits for the others before it saves the model, so the result holds every
 * worker's updates. No extra task slots are needed: a ps runs beside its barrier task's worker.
 *
 * <p>Each TensorFlow task runs in a JVM of its own, started by its barrier task with the executor's
 * class path and killed when the barrier task ends: a TensorFlow server cannot be stopped inside a
 * JVM (so a second run in the same executor could not start its own), an executor with several
 * cores runs several barrier tasks (in {@code local[n]} all of them) in one JVM, and jkeras's
 * {@link io.jkeras.GlobalSeed} is shared by a whole JVM. See {@code docs/distributed.md}.
 *
 * <p>The partitions are the workers' shards, in their order: a partition's rows are fed to its
 * worker as they come. In mirrored training all workers train on as many rows as the smallest
 * partition holds (the others' extra rows are left out and counted in {@link
 * TrainingResult#droppedRows()}), so that they run the same number of synchronous steps. The stage
 * needs as many free task slots as there are partitions; with fewer, {@code fit} fails at once. A
 * task that fails (a worker or a ps) ends the stage with an error naming it and the end of its log;
 * Spark then kills the other barrier tasks, which kill their TensorFlow tasks, and a task waiting
 * on a dead peer fails within the operation timeout instead of waiting forever.
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().getOrCreate();
 * Dataset<Row> rows = spark.read().parquet("/data/clicks").repartition(4); // 4 workers
 * ModelFactory factory = () -> {
 *   KerasTensor in = Input.of(13);
 *   Model m = new Model(in, new Dense(1, "sigmoid").apply(new Dense(64, "relu").apply(in)));
 *   m.compile(new Adam(1e-3), "binary_crossentropy");
 *   return m;
 * };
 * TrainingResult result = SparkTrainer.builder(factory)
 *     .featuresColumn("features") // array<float>
 *     .labelColumn("clicked")     // a number, or array<float>
 *     .epochs(3)
 *     .batchSize(1024)            // global: 256 per worker
 *     .build()
 *     .fit(rows);
 * result.save(Path.of("/models/ctr.keras"));
 *
 * // The same on 2 parameter servers, the embedding tables in shards of 64 MB or more:
 * TrainingResult ps = SparkTrainer.builder(factory)
 *     .parameterServers(2)
 *     .variablePartitioner(new MinSizePartitioner(64L << 20, 8))
 *     .parameterServerJavaOptions("-Xmx8g")
 *     .batchSize(256)             // per worker step
 *     .build()
 *     .fit(rows);
 * }</pre>
 */
public final class SparkTrainer implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ModelFactory factory;
  private final String featuresColumn;
  private final String labelColumn;
  private final int epochs;
  private final int batchSize;
  private final boolean shuffle;
  private final Long seed;
  private final Duration operationTimeout;
  private final List<String> taskJavaOptions;
  private final int parameterServers;
  private final Partitioner variablePartitioner;
  private final List<String> parameterServerJavaOptions;

  private SparkTrainer(Builder b) {
    this.factory = b.factory;
    this.featuresColumn = b.featuresColumn;
    this.labelColumn = b.labelColumn;
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.operationTimeout = b.operationTimeout;
    this.taskJavaOptions = List.copyOf(b.taskJavaOptions);
    this.parameterServers = b.parameterServers;
    this.variablePartitioner = b.variablePartitioner;
    this.parameterServerJavaOptions = List.copyOf(b.parameterServerJavaOptions);
  }

  /**
   * A builder of a trainer for the models {@code factory} builds and compiles.
   *
   * <pre>{@code
   * SparkTrainer trainer = SparkTrainer.builder(factory).epochs(2).build();
   * }</pre>
   *
   * @param factory builds and compiles the model in every training task
   * @return a builder with Keras's defaults (1 epoch, batch size 32, shuffled)
   */
  public static Builder builder(ModelFactory factory) {
    if (factory == null) {
      throw new IllegalArgumentException("SparkTrainer: expected a model factory, got null");
    }
    return new Builder(factory);
  }

  /**
   * Trains one worker per partition of {@code rows} in a barrier stage and returns the chief's
   * model with the workers' histories.
   *
   * <pre>{@code
   * TrainingResult result = trainer.fit(rows.repartition(2));
   * }</pre>
   *
   * <p>A failing training task reaches the caller as Spark's {@code SparkException} (thrown by
   * Spark's Scala code without a declaration), whose message names the task ({@code worker:i} or
   * {@code ps:i}) and ends with its log.
   *
   * @param rows the training rows: a features column ({@code array} of numbers; {@code int} or
   *     {@code bigint} elements are fed as int32, others as float32) and a label column (a number
   *     or an {@code array} of numbers)
   * @return the trained model and the history
   * @throws IllegalArgumentException if a column is missing or of another type, if in mirrored
   *     training the global batch size does not split evenly over the partitions, or if there are
   *     more parameter servers than partitions
   * @throws IllegalStateException if the cluster has fewer free task slots than {@code rows} has
   *     partitions
   */
  public TrainingResult fit(Dataset<Row> rows) {
    StructType schema = rows.schema();
    int features = column(schema, featuresColumn, "features");
    int label = column(schema, labelColumn, "label");
    DataType featureType = schema.fields()[features].dataType();
    if (!(featureType instanceof ArrayType a) || !(a.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "SparkTrainer: features column \""
              + featuresColumn
              + "\" must be an array of numbers, got "
              + featureType.simpleString());
    }
    boolean intFeatures =
        a.elementType().equals(DataTypes.IntegerType) || a.elementType().equals(DataTypes.LongType);
    DataType labelType = schema.fields()[label].dataType();
    boolean scalarLabels = labelType instanceof NumericType;
    if (!scalarLabels
        && !(labelType instanceof ArrayType l && l.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException(
          "SparkTrainer: label column \""
              + labelColumn
              + "\" must be a number or an array of numbers, got "
              + labelType.simpleString());
    }
    RDD<Row> rdd = rows.rdd();
    int workers = rdd.getNumPartitions();
    if (parameterServers > workers) {
      throw new IllegalArgumentException(
          "SparkTrainer: parameterServers("
              + parameterServers
              + ") needs a barrier task per ps task, one per partition, so at most "
              + workers
              + " (the data's partitions); got "
              + parameterServers);
    }
    checkSlots(rows.sparkSession().sparkContext(), workers);
    if (parameterServers == 0 && batchSize % workers != 0) {
      throw new IllegalArgumentException(
          "SparkTrainer: global batch size "
              + batchSize
              + " does not split evenly over "
              + workers
              + " workers (one per partition)");
    }
    long runSeed = seed != null ? seed : new SecureRandom().nextLong();
    ClassTag<TrainingTask.Outcome> tag = ClassTag$.MODULE$.apply(TrainingTask.Outcome.class);
    BarrierTask task = new BarrierTask(this, features, label, intFeatures, scalarLabels, runSeed);
    List<TrainingTask.Outcome> outcomes;
    try {
      outcomes =
          new ArrayList<>(rdd.barrier().mapPartitions(task, false, tag).toJavaRDD().collect());
    } catch (Exception e) {
      // Scala throws this checked exception undeclared; anything else is rethrown as it is.
      if (!(e instanceof BarrierJobUnsupportedRDDChainException)) {
        throw e;
      }
      throw new IllegalArgumentException(
          "SparkTrainer: Spark cannot run a barrier stage on this Dataset's lineage (it ends in"
              + " union, coalesce, limit or another step that changes the number of partitions"
              + " within the stage); repartition(n) the rows before fit",
          e);
    }
    outcomes.sort(Comparator.comparingInt(TrainingTask.Outcome::index));
    List<Map<String, List<Double>>> histories = new ArrayList<>();
    List<Integer> workerRows = new ArrayList<>();
    for (TrainingTask.Outcome o : outcomes) {
      histories.add(new LinkedHashMap<>(o.history()));
      workerRows.add(o.rows());
    }
    TrainingTask.Outcome chief = outcomes.get(0);
    return new TrainingResult(histories, workerRows, chief.kerasFile(), chief.droppedRows());
  }

  private static int column(StructType schema, String name, String role) {
    try {
      return schema.fieldIndex(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "SparkTrainer: no "
              + role
              + " column \""
              + name
              + "\"; the columns are "
              + String.join(", ", schema.fieldNames()));
    }
  }

  /**
   * Fails at once when the stage cannot run all its tasks together: Spark itself would re-check
   * every 15 s, 40 times, before giving up.
   */
  private static void checkSlots(SparkContext sc, int tasks) {
    int slots;
    try {
      // Public in the bytecode (Scala's private[spark]); present in Spark 3.1 to 4.0.
      slots = sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    } catch (LinkageError e) {
      return; // Another Spark: its own barrier check applies.
    }
    if (slots < tasks) {
      throw new IllegalStateException(
          "SparkTrainer: the data has "
              + tasks
              + " partitions, one training task each, and a barrier stage runs them all at once,"
              + " but the cluster has "
              + slots
              + " free task slots; repartition the data into at most "
              + slots
              + " partitions or add executors or cores");
    }
  }

  /** The rows of one partition as arrays: features and labels. */
  private record Rows(Object x, float[][] y, int count) {}

  /**
   * The function of the barrier stage: reads its partition, exchanges addresses, runs its worker in
   * a child JVM and returns its outcome.
   */
  private static final class BarrierTask
      extends AbstractFunction1<
          scala.collection.Iterator<Row>, scala.collection.Iterator<TrainingTask.Outcome>>
      implements Serializable {

    private static final long serialVersionUID = 1L;

    private final SparkTrainer trainer;
    private final int features;
    private final int label;
    private final boolean intFeatures;
    private final boolean scalarLabels;
    private final long seed;

    BarrierTask(
        SparkTrainer trainer,
        int features,
        int label,
        boolean intFeatures,
        boolean scalarLabels,
        long seed) {
      this.trainer = trainer;
      this.features = features;
      this.label = label;
      this.intFeatures = intFeatures;
      this.scalarLabels = scalarLabels;
      this.seed = seed;
    }

    @Override
    public scala.collection.Iterator<TrainingTask.Outcome> apply(
        scala.collection.Iterator<Row> partition) {
      BarrierTaskContext ctx = BarrierTaskContext.get();
      int index = ctx.partitionId();
      Rows rows = read(CollectionConverters.asJava(partition), index);
      String host = host(ctx.getTaskInfos()[index].address());
      boolean servesPs = index < trainer.parameterServers;
      int[] ports = freePorts(servesPs ? 2 : 1);
      // "worker-address ps-address-or-dash rows"
      String[] gathered =
          ctx.allGather(
              host
                  + ":"
                  + ports[0]
                  + " "
                  + (servesPs ? host + ":" + ports[1] : "-")
                  + " "
                  + rows.count());
      List<String> workers = new ArrayList<>();
      List<String> ps = new ArrayList<>();
      int[] counts = new int[gathered.length];
      for (int i = 0; i < gathered.length; i++) {
        String[] parts = gathered[i].split(" ");
        workers.add(parts[0]);
        if (!parts[1].equals("-")) {
          ps.add(parts[1]);
        }
        counts[i] = Integer.parseInt(parts[2]);
      }
      int common = Arrays.stream(counts).min().orElse(0);
      if (common == 0) {
        throw new IllegalStateException(
            "SparkTrainer: partition "
                + Arrays.stream(counts).boxed().toList().indexOf(0)
                + " has no rows, so its worker has nothing to train on; repartition the data");
      }
      // Mirrored replicas run equal step counts; asynchronous workers train on all their rows.
      int trained = ps.isEmpty() ? common : rows.count();
      TrainingTask.Spec spec =
          new TrainingTask.Spec(
              workers,
              ps,
              index,
              trainer.variablePartitioner,
              seed,
              trainer.factory,
              trainer.epochs,
              trainer.batchSize,
              trainer.shuffle,
              trainer.operationTimeout,
              truncate(rows.x(), trained),
              Arrays.copyOf(rows.y(), trained),
              scalarLabels,
              ps.isEmpty() ? Arrays.stream(counts).sum() - common * counts.length : 0);
      return CollectionConverters.asScala(List.of(runChildren(ctx, spec, servesPs)).iterator());
    }

    /** Where a bad value is, for errors: partition, row and column. */
    private static String at(int partition, int row, String column) {
      return "SparkTrainer: partition "
          + partition
          + ", row "
          + row
          + ": column \""
          + column
          + "\"";
    }

    private Rows read(Iterator<Row> partition, int index) {
      List<Object> xs = new ArrayList<>();
      List<float[]> ys = new ArrayList<>();
      int width = -1;
      while (partition.hasNext()) {
        Row r = partition.next();
        int row = ys.size();
        if (r.isNullAt(features) || r.isNullAt(label)) {
          throw new IllegalArgumentException(
              at(index, row, r.isNullAt(features) ? trainer.featuresColumn : trainer.labelColumn)
                  + " is null");
        }
        List<Number> f = r.getList(features);
        if (width < 0) {
          width = f.size();
        } else if (f.size() != width) {
          throw new IllegalArgumentException(
              at(index, row, trainer.featuresColumn)
                  + " has "
                  + f.size()
                  + " values, expected "
                  + width
                  + " as in the partition's first row");
        }
        if (intFeatures) {
          int[] v = new int[width];
          for (int j = 0; j < width; j++) {
            long id = f.get(j).longValue();
            if (id != (int) id) {
              throw new IllegalArgumentException(
                  at(index, row, trainer.featuresColumn)
                      + " holds "
                      + id
                      + ", outside the int32 range the model is fed with");
            }
            v[j] = (int) id;
          }
          xs.add(v);
        } else {
          float[] v = new float[width];
          for (int j = 0; j < width; j++) {
            v[j] = f.get(j).floatValue();
          }
          xs.add(v);
        }
        if (scalarLabels) {
          ys.add(new float[] {((Number) r.get(label)).floatValue()});
        } else {
          List<Number> l = r.getList(label);
          float[] v = new float[l.size()];
          for (int j = 0; j < v.length; j++) {
            v[j] = l.get(j).floatValue();
          }
          ys.add(v);
        }
      }
      Object x = intFeatures ? xs.toArray(new int[0][]) : xs.toArray(new float[0][]);
      return new Rows(x, ys.toArray(new float[0][]), ys.size());
    }

    private static Object truncate(Object x, int rows) {
      return x instanceof int[][] ints
          ? Arrays.copyOf(ints, rows)
          : Arrays.copyOf((float[][]) x, rows);
    }

    /**
     * Starts this task's ps JVM (if it serves one) and its worker's JVM and waits for both: the
     * worker until it has written its outcome, the ps until every worker has finished. A killed
     * barrier task kills them, and a failure of either ends the task with an error naming it.
     */
    private TrainingTask.Outcome runChildren(
        BarrierTaskContext ctx, TrainingTask.Spec spec, boolean servesPs) {
      int index = spec.index();
      String worker = "worker:" + index + " (" + spec.workers().get(index) + ")";
      String ps = servesPs ? "ps:" + index + " (" + spec.parameterServers().get(index) + ")" : null;
      Path dir;
      try {
        dir = Files.createTempDirectory("jkeras-spark-worker-" + index + "-");
      } catch (IOException e) {
        throw new UncheckedIOException("SparkTrainer: " + worker + ": no temporary folder", e);
      }
      Path specFile = dir.resolve("spec.bin");
      Path outcomeFile = dir.resolve("outcome.bin");
      Path log = dir.resolve("worker.log");
      Path psLog = dir.resolve("ps.log");
      Process p = null;
      Process psProcess = null;
      boolean ok = false;
      try {
        if (servesPs) {
          List<String> options = new ArrayList<>(trainer.taskJavaOptions);
          options.addAll(trainer.parameterServerJavaOptions);
          psProcess = start(options, List.of("ps"), tfConfig(spec, "ps"), psLog);
        }
        TrainingTask.write(specFile, spec);
        p =
            start(
                trainer.taskJavaOptions,
                List.of(specFile.toString(), outcomeFile.toString()),
                tfConfig(spec, "worker"),
                log);
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
          // Throws TaskKilledException when Spark cancels this task (a peer failed).
          ctx.killTaskIfInterrupted();
          if (psProcess != null && !psProcess.isAlive() && psProcess.exitValue() != 0) {
            throw failed(ps, index, psProcess, psLog);
          }
        }
        if (p.exitValue() != 0) {
          throw failed(worker, index, p, log);
        }
        TrainingTask.Outcome outcome = TrainingTask.read(outcomeFile, TrainingTask.Outcome.class);
        // The ps serves until every worker, of this task and of the others, has reported.
        while (psProcess != null && !psProcess.waitFor(200, TimeUnit.MILLISECONDS)) {
          ctx.killTaskIfInterrupted();
        }
        if (psProcess != null && psProcess.exitValue() != 0) {
          throw failed(ps, index, psProcess, psLog);
        }
        ok = true;
        return outcome;
      } catch (IOException e) {
        throw new UncheckedIOException("SparkTrainer: training task " + worker + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "SparkTrainer: training task " + worker + " was interrupted", e);
      } finally {
        for (Process child : Arrays.asList(p, psProcess)) {
          if (child != null && child.isAlive()) {
            child.destroyForcibly();
          }
        }
        if (ok) {
          deleteQuietly(dir);
        }
      }
    }

    /** Starts a {@link TrainingTask} JVM with the executor's class path, its output to a log. */
    private static Process start(
        List<String> javaOptions, List<String> args, String tfConfig, Path log) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(javaOptions);
      cmd.add("-cp");
      cmd.add(classPath());
      cmd.add(TrainingTask.class.getName());
      cmd.addAll(args);
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("TF_CONFIG", tfConfig);
      pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      return pb.start();
    }

    private static IllegalStateException failed(String task, int partition, Process p, Path log) {
      return new IllegalStateException(
          "SparkTrainer: training task "
              + task
              + " of partition "
              + partition
              + " failed with exit code "
              + p.exitValue()
              + "; the end of its log ("
              + log
              + "):\n"
              + tail(log, 30));
    }
  }

  /**
   * {@code TF_CONFIG} of task {@code type} (worker or ps) of the spec's index: the ps task reads
   * it, and factories may.
   */
  private static String tfConfig(TrainingTask.Spec spec, String type) {
    StringBuilder b = new StringBuilder("{\"cluster\": {\"worker\": ");
    addresses(b, spec.workers());
    if (!spec.parameterServers().isEmpty()) {
      b.append(", \"ps\": ");
      addresses(b, spec.parameterServers());
    }
    return b.append("}, \"task\": {\"type\": \"")
        .append(type)
        .append("\", \"index\": ")
        .append(spec.index())
        .append("}}")
        .toString();
  }

  private static void addresses(StringBuilder b, List<String> addresses) {
    b.append('[');
    for (int i = 0; i < addresses.size(); i++) {
      b.append(i == 0 ? "\"" : ", \"").append(addresses.get(i)).append('"');
    }
    b.append(']');
  }

  /** The host of a barrier task's {@code host:port} address. */
  private static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon > 0 ? address.substring(0, colon) : address;
  }

  /**
   * {@code count} distinct ports free on every interface, as the TensorFlow server binds (all held
   * open until the last is picked, so none repeats; a short race with other processes remains).
   */
  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
        ports[i] = sockets.get(i).getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("SparkTrainer: cannot find a free port", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing a listening socket that accepted nothing cannot lose data.
        }
      }
    }
  }

  /**
   * The executor's class path: the JVM's, then the jars Spark added to the context class loader
   * (the application jar and {@code --jars}), then the one holding jkeras.
   */
  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        entries.add(e);
      }
    }
    for (ClassLoader cl = Thread.currentThread().getContextClassLoader();
        cl != null;
        cl = cl.getParent()) {
      if (cl instanceof URLClassLoader u) {
        for (URL url : u.getURLs()) {
          addFile(entries, url);
        }
      }
    }
    addFile(entries, TrainingTask.class.getProtectionDomain().getCodeSource().getLocation());
    return String.join(File.pathSeparator, entries);
  }

  private static void addFile(Set<String> entries, URL url) {
    if (url != null && url.getProtocol().equals("file")) {
      try {
        entries.add(Path.of(url.toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Not a local file: the child cannot use it.
      }
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  /**
   * Options of {@link SparkTrainer}: columns, fit settings (epochs, batch size, shuffle, seed), the
   * strategy (mirrored, or parameter servers with an optional table partitioner) and how the
   * training tasks run (operation timeout, JVM options).
   *
   * <pre>{@code
   * SparkTrainer trainer = SparkTrainer.builder(factory)
   *     .featuresColumn("x").labelColumn("y")
   *     .epochs(5).batchSize(512).seed(42)
   *     .operationTimeout(Duration.ofMinutes(2))
   *     .taskJavaOptions("-Xmx4g")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final ModelFactory factory;
    private String featuresColumn = "features";
    private String labelColumn = "label";
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private Long seed;
    private Duration operationTimeout = Strategy.DEFAULT_OPERATION_TIMEOUT;
    private final List<String> taskJavaOptions = new ArrayList<>();
    private int parameterServers;
    private Partitioner variablePartitioner;
    private final List<String> parameterServerJavaOptions = new ArrayList<>();

    private Builder(ModelFactory factory) {
      this.factory = factory;
    }

    /**
     * The column fed to the model (default {@code "features"}).
     *
     * @param name an {@code array} column of numbers
     * @return this builder
     */
    public Builder featuresColumn(String name) {
      this.featuresColumn = name;
      return this;
    }

    /**
     * The column of targets (default {@code "label"}).
     *
     * @param name a numeric column, or an {@code array} column of numbers
     * @return this builder
     */
    public Builder labelColumn(String name) {
      this.labelColumn = name;
      return this;
    }

    /**
     * How many passes over the data (default 1), as Keras's {@code epochs}.
     *
     * @param epochs at least 1
     * @return this builder
     */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("SparkTrainer: epochs must be >= 1, got " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /**
     * The global batch size (default 32), shared evenly by the workers as in Keras's multi-worker
     * training: each worker's steps take {@code batchSize / partitions} of its rows. With {@link
     * #parameterServers} each worker steps on its own, so every step takes {@code batchSize} rows
     * (Keras's parameter-server strategy has one replica in sync).
     *
     * @param batchSize at least 1; in mirrored training divisible by the number of partitions
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException(
            "SparkTrainer: batch size must be >= 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Whether each worker shuffles its rows before each epoch (default true, as Keras); false keeps
     * the partition's order.
     *
     * @param shuffle whether to shuffle
     * @return this builder
     */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * The {@link io.jkeras.GlobalSeed} every task sets before building the model, so that a run
     * repeats (initial weights, dropout, shuffling); by default a random seed shared by the tasks.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * How long one TensorFlow operation, such as the all-reduce waiting for a dead peer, may take
     * before the task fails (default {@link Strategy#DEFAULT_OPERATION_TIMEOUT}).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder operationTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "SparkTrainer: operation timeout must be positive, got " + timeout);
      }
      this.operationTimeout = timeout;
      return this;
    }

    /**
     * JVM options of the training tasks' processes, for example {@code "-Xmx4g"}.
     *
     * @param options options placed before the class path
     * @return this builder
     */
    public Builder taskJavaOptions(String... options) {
      this.taskJavaOptions.addAll(List.of(options));
      return this;
    }

    /**
     * Trains with {@code n} parameter servers ({@link ParameterServerStrategy}) instead of
     * synchronously ({@link MultiWorkerMirroredStrategy}, the default, {@code n = 0}). Barrier
     * tasks {@code 0..n-1} each also start ps task {@code i} in a JVM of its own, which holds
     * variables and optimizer slots (each weight on the ps holding the fewest bytes so far) and
     * serves until every worker has finished. Every partition is still one worker: it trains
     * asynchronously on all its rows, with {@link #batchSize} rows per step of its own, and the
     * chief waits for the others before saving the model the run returns.
     *
     * <pre>{@code
     * SparkTrainer trainer = SparkTrainer.builder(factory).parameterServers(1).batchSize(256).build();
     * }</pre>
     *
     * @param n 0 to the number of partitions of the data {@code fit} is given
     * @return this builder
     */
    public Builder parameterServers(int n) {
      if (n < 0) {
        throw new IllegalArgumentException(
            "SparkTrainer: parameterServers must be >= 0 (0: mirrored training), got " + n);
      }
      this.parameterServers = n;
      return this;
    }

    /**
     * How the ps tasks split embedding tables into row shards (Keras's {@code
     * variable_partitioner}, for example {@code new MinSizePartitioner(64L << 20, 4)}); default
     * none, every table whole on one ps. Needs {@link #parameterServers} of 1 or more.
     *
     * @param partitioner a partitioner (serializable: it is sent to the workers)
     * @return this builder
     */
    public Builder variablePartitioner(Partitioner partitioner) {
      this.variablePartitioner = partitioner;
      return this;
    }

    /**
     * JVM options of the ps tasks' processes only, after {@link #taskJavaOptions} (so {@code
     * "-Xmx8g"} here overrides a smaller heap there): a ps holds the tables and their optimizer
     * slots. Needs {@link #parameterServers} of 1 or more.
     *
     * @param options options placed before the class path
     * @return this builder
     */
    public Builder parameterServerJavaOptions(String... options) {
      this.parameterServerJavaOptions.addAll(List.of(options));
      return this;
    }

    /**
     * The trainer with these options.
     *
     * @return a serializable trainer
     * @throws IllegalArgumentException if a ps option is set without {@link #parameterServers}
     */
    public SparkTrainer build() {
      if (parameterServers == 0
          && (variablePartitioner != null || !parameterServerJavaOptions.isEmpty())) {
        throw new IllegalArgumentException(
            "SparkTrainer: "
                + (variablePartitioner != null
                    ? "variablePartitioner"
                    : "parameterServerJavaOptions")
                + " applies to parameter-server training; expected parameterServers(n) with n >="
                + " 1, got parameterServers(0) (mirrored training)");
      }
      return new SparkTrainer(this);
    }
  }
}
