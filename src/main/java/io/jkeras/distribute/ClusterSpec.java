package io.jkeras.distribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;

/**
 * The tasks of a training cluster by job, as Python's {@code tf.train.ClusterSpec}: jobs {@code
 * "chief"}, {@code "worker"} and {@code "ps"}, each a list of {@code host:port} addresses (task i
 * is the i-th address).
 *
 * <pre>{@code
 * ClusterSpec cluster = ClusterSpec.builder()
 *     .job("worker", "10.0.0.1:2222", "10.0.0.2:2222")
 *     .job("ps", "10.0.0.3:2222")
 *     .build();
 * }</pre>
 */
public final class ClusterSpec {

  private final Map<String, List<String>> jobs;

  private ClusterSpec(Map<String, List<String>> jobs) {
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException("ClusterSpec: expected at least one job, got none");
    }
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      if (!e.getKey().matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException(
            "ClusterSpec: job names are lower-case identifiers, got \"" + e.getKey() + "\"");
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException(
            "ClusterSpec: job \"" + e.getKey() + "\" has no task addresses");
      }
      for (String address : e.getValue()) {
        checkAddress(e.getKey(), address);
      }
    }
    this.jobs = Collections.unmodifiableMap(jobs);
  }

  private static void checkAddress(String job, String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    boolean ok = colon > 0;
    if (ok) {
      try {
        int port = Integer.parseInt(address.substring(colon + 1));
        ok = port > 0 && port < 65536;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "ClusterSpec: job \""
              + job
              + "\" has address \""
              + address
              + "\", expected host:port with a port in 1..65535");
    }
  }

  /** A builder to which jobs are added by name. */
  public static Builder builder() {
    return new Builder();
  }

  /** The job names, in the order given. */
  public List<String> jobs() {
    return List.copyOf(jobs.keySet());
  }

  /** True if the cluster has a job named {@code job} (for example {@code "chief"}). */
  public boolean hasJob(String job) {
    return jobs.containsKey(job);
  }

  /** The number of tasks of {@code job}; 0 when the cluster has no such job. */
  public int numTasks(String job) {
    List<String> tasks = jobs.get(job);
    return tasks == null ? 0 : tasks.size();
  }

  /** The addresses of {@code job}'s tasks, by task index. */
  public List<String> tasks(String job) {
    List<String> tasks = jobs.get(job);
    if (tasks == null) {
      throw new IllegalArgumentException(
          "ClusterSpec: no job \"" + job + "\"; the jobs are " + jobs.keySet());
    }
    return tasks;
  }

  /** The address of task {@code index} of {@code job}. */
  public String address(String job, int index) {
    List<String> tasks = tasks(job);
    if (index < 0 || index >= tasks.size()) {
      throw new IllegalArgumentException(
          "ClusterSpec: job \""
              + job
              + "\" has tasks 0.."
              + (tasks.size() - 1)
              + ", got task index "
              + index);
    }
    return tasks.get(index);
  }

  /** The cluster as TensorFlow's {@code ClusterDef} proto. */
  public ClusterDef toClusterDef() {
    ClusterDef.Builder b = ClusterDef.newBuilder();
    for (Map.Entry<String, List<String>> e : jobs.entrySet()) {
      JobDef.Builder job = JobDef.newBuilder().setName(e.getKey());
      for (int i = 0; i < e.getValue().size(); i++) {
        job.putTasks(i, e.getValue().get(i));
      }
      b.addJob(job);
    }
    return b.build();
  }

  /** The jobs and their addresses. */
  public Map<String, List<String>> asMap() {
    return jobs;
  }

  @Override
  public String toString() {
    return jobs.toString();
  }

  /** Builds a {@link ClusterSpec} job by job. */
  public static final class Builder {
    private final Map<String, List<String>> jobs = new LinkedHashMap<>();

    private Builder() {}

    /** Adds {@code job} with its task addresses ({@code host:port}) by task index. */
    public Builder job(String job, String... addresses) {
      return job(job, List.of(addresses));
    }

    /**
     * Adds job {@code job} with its task addresses in task order.
     *
     * @param addresses {@code host:port} of task 0, 1, ...
     * @throws IllegalArgumentException if the job was already added
     */
    public Builder job(String job, List<String> addresses) {
      if (jobs.containsKey(job)) {
        throw new IllegalArgumentException("ClusterSpec: job \"" + job + "\" given twice");
      }
      jobs.put(job, List.copyOf(new ArrayList<>(addresses)));
      return this;
    }

    /**
     * The cluster spec.
     *
     * @throws IllegalArgumentException if there is no job, a job has no tasks or an address is not
     *     {@code host:port} with a valid port
     */
    public ClusterSpec build() {
      return new ClusterSpec(new LinkedHashMap<>(jobs));
    }
  }
}
