package io.jkeras.distribute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The cluster and this process's task, as Python reads them from the {@code TF_CONFIG} environment
 * variable: {@code {"cluster": {"worker": ["host:port", ...], "ps": [...]}, "task": {"type":
 * "worker", "index": 0}}}. The chief is task {@code chief:0} when the cluster has a chief job, else
 * {@code worker:0}.
 *
 * <pre>{@code
 * TfConfig config = TfConfig.fromEnvironment();
 * var strategy = new MultiWorkerMirroredStrategy(config);
 * }</pre>
 */
public record TfConfig(ClusterSpec cluster, String taskType, int taskIndex) {

  /** Checks that the task is one of the cluster's. */
  public TfConfig {
    if (cluster == null || taskType == null) {
      throw new IllegalArgumentException("TF_CONFIG: expected a cluster and a task type");
    }
    if (!cluster.hasJob(taskType)) {
      throw new IllegalArgumentException(
          "TF_CONFIG: task type \""
              + taskType
              + "\" is not a job of the cluster; the jobs are "
              + cluster.jobs());
    }
    cluster.address(taskType, taskIndex);
  }

  /** Reads the {@code TF_CONFIG} environment variable. */
  public static TfConfig fromEnvironment() {
    String json = System.getenv("TF_CONFIG");
    if (json == null || json.isBlank()) {
      throw new IllegalStateException(
          "TF_CONFIG is not set: expected {\"cluster\": {...}, \"task\": {\"type\": ...,"
              + " \"index\": ...}}");
    }
    return parse(json);
  }

  /** Parses {@code TF_CONFIG} JSON. */
  public static TfConfig parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("TF_CONFIG: not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("TF_CONFIG: expected a JSON object, got " + json);
    }
    JsonNode clusterNode = root.get("cluster");
    if (clusterNode == null || !clusterNode.isObject()) {
      throw new IllegalArgumentException(
          "TF_CONFIG: field \"cluster\" must be an object of job name to address list");
    }
    ClusterSpec.Builder cluster = ClusterSpec.builder();
    Iterator<Map.Entry<String, JsonNode>> jobs = clusterNode.fields();
    while (jobs.hasNext()) {
      Map.Entry<String, JsonNode> job = jobs.next();
      if (!job.getValue().isArray()) {
        throw new IllegalArgumentException(
            "TF_CONFIG: cluster." + job.getKey() + " must be a list of \"host:port\" strings");
      }
      List<String> addresses = new ArrayList<>();
      for (JsonNode a : job.getValue()) {
        if (!a.isTextual()) {
          throw new IllegalArgumentException(
              "TF_CONFIG: cluster." + job.getKey() + " holds " + a + ", expected \"host:port\"");
        }
        addresses.add(a.asText());
      }
      cluster.job(job.getKey(), addresses);
    }
    JsonNode task = root.get("task");
    if (task == null || !task.isObject()) {
      throw new IllegalArgumentException(
          "TF_CONFIG: field \"task\" must be an object {\"type\": ..., \"index\": ...}");
    }
    JsonNode type = task.get("type");
    JsonNode index = task.get("index");
    if (type == null || !type.isTextual()) {
      throw new IllegalArgumentException(
          "TF_CONFIG: task.type must be a string such as \"worker\"");
    }
    if (index != null && !index.canConvertToInt()) {
      throw new IllegalArgumentException("TF_CONFIG: task.index must be an integer, got " + index);
    }
    return new TfConfig(cluster.build(), type.asText(), index == null ? 0 : index.asInt());
  }

  /** This task's address. */
  public String address() {
    return cluster.address(taskType, taskIndex);
  }

  /** The task name TensorFlow uses, for example {@code "/job:worker/replica:0/task:1"}. */
  public String taskName() {
    return "/job:" + taskType + "/replica:0/task:" + taskIndex;
  }

  /** True for the task that writes checkpoints and results: chief:0, or worker:0 without chief. */
  public boolean isChief() {
    return cluster.hasJob("chief")
        ? taskType.equals("chief") && taskIndex == 0
        : taskType.equals("worker") && taskIndex == 0;
  }
}
