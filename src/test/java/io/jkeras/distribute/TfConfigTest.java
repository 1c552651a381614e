package io.jkeras.distribute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ClusterDef;

class TfConfigTest {

  private static final String JSON =
      "{\"cluster\": {\"chief\": [\"h0:2222\"], \"worker\": [\"h1:2222\", \"h2:2222\"],"
          + " \"ps\": [\"h3:2222\"]}, \"task\": {\"type\": \"worker\", \"index\": 1}}";

  @Test
  void parsesPythonsTfConfig() {
    TfConfig c = TfConfig.parse(JSON);
    assertEquals(List.of("chief", "worker", "ps"), c.cluster().jobs());
    assertEquals(List.of("h1:2222", "h2:2222"), c.cluster().tasks("worker"));
    assertEquals("worker", c.taskType());
    assertEquals(1, c.taskIndex());
    assertEquals("h2:2222", c.address());
    assertEquals("/job:worker/replica:0/task:1", c.taskName());
    assertFalse(c.isChief());
    assertTrue(
        TfConfig.parse(JSON.replace("\"worker\", \"index\": 1", "\"chief\", \"index\": 0"))
            .isChief());
    assertEquals("/job:chief/replica:0/task:0", TaskServer.groupLeader(c.cluster()));
  }

  @Test
  void workerZeroIsChiefWithoutAChiefJob() {
    TfConfig c =
        TfConfig.parse(
            "{\"cluster\": {\"worker\": [\"a:1\", \"b:2\"]}, \"task\": {\"type\": \"worker\","
                + " \"index\": 0}}");
    assertTrue(c.isChief());
    assertEquals("/job:worker/replica:0/task:0", TaskServer.groupLeader(c.cluster()));
  }

  @Test
  void clusterDefListsEveryTaskByIndex() {
    ClusterDef def = TfConfig.parse(JSON).cluster().toClusterDef();
    assertEquals(3, def.getJobCount());
    assertEquals("worker", def.getJob(1).getName());
    assertEquals("h2:2222", def.getJob(1).getTasksMap().get(1));
  }

  @Test
  void badConfigsNameTheField() {
    assertMessage(
        "task type \"evaluator\"", JSON.replace("\"type\": \"worker\"", "\"type\": \"evaluator\""));
    assertMessage("tasks 0..1, got task index 5", JSON.replace("\"index\": 1", "\"index\": 5"));
    assertMessage("\"h1\", expected host:port", JSON.replace("\"h1:2222\"", "\"h1\""));
    assertMessage("field \"cluster\"", "{\"task\": {\"type\": \"worker\"}}");
    assertMessage("not valid JSON", "{cluster");
  }

  private static void assertMessage(String expected, String json) {
    var e = assertThrows(IllegalArgumentException.class, () -> TfConfig.parse(json));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
