package io.jkeras.distribute;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.NodeOutput;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * The tensors one step sent between tasks, as TensorFlow's runtime reports them: the step runs with
 * a full trace, under which every task logs each gRPC {@code RecvTensor} call (a tensor fetched
 * from another task) with the bytes of the tensor received. Those are summed; gRPC framing, the
 * step's control messages and the client's feeds and fetches are not counted.
 *
 * <pre>{@code
 * StepTraffic t = StepTraffic.measure(session.runner().feed(...).addTarget(trainStep));
 * System.out.println(t.bytes() + " bytes in " + t.tensors() + " tensors");
 * }</pre>
 */
public record StepTraffic(long bytes, int tensors) {

  /** Runs {@code runner} once with tracing and sums its cross-task tensor transfers. */
  public static StepTraffic measure(Session.Runner runner) {
    runner.setOptions(
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
    try (Result r = runner.runAndFetchMetadata()) {
      RunMetadata meta =
          r.getMetadata()
              .orElseThrow(() -> new IllegalStateException("StepTraffic: no run metadata"));
      long bytes = 0;
      int tensors = 0;
      for (DeviceStepStats dev : meta.getStepStats().getDevStatsList()) {
        for (NodeExecStats node : dev.getNodeStatsList()) {
          if (node.getNodeName().equals("RecvTensor")) {
            tensors++;
            for (NodeOutput out : node.getOutputList()) {
              bytes += out.getTensorDescription().getAllocationDescription().getRequestedBytes();
            }
          }
        }
      }
      return new StepTraffic(bytes, tensors);
    }
  }
}
