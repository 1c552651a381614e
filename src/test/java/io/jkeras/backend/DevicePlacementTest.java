package io.jkeras.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jkeras.layers.Dense;
import io.jkeras.layers.Input;
import io.jkeras.layers.KerasTensor;
import io.jkeras.models.Model;
import io.jkeras.models.ModelRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;

class DevicePlacementTest {

  @Test
  void aModelPlacedOnAnAbsentGpuFallsBackToTheCpu() {
    KerasTensor in = Input.of(2);
    Dense d = new Dense(1);
    KerasTensor out = d.apply(in);
    d.kernel().assign(new float[] {1, 2});
    try (Model m = new Model(in, out).onDevice("/GPU:0")) {
      float[][] y = m.predict(new float[][] {{3, 4}});
      assertEquals(11f, y[0][0], 1e-6);
      GraphOperation matmul = null;
      var it = ModelRuntime.of(m).graphSession().graph().operations();
      while (it.hasNext()) {
        GraphOperation op = it.next();
        if (op.type().equals("MatMul")) {
          matmul = op;
        }
      }
      // The op asks for the GPU; soft placement ran it on the CPU.
      assertTrue(matmul.device().toUpperCase().contains("GPU:0"), matmul.device());
    }
  }

  @Test
  void badDeviceNamesAreRejected() {
    var e = assertThrows(IllegalArgumentException.class, () -> GraphSession.onDevice("/TPU:0"));
    assertTrue(e.getMessage().contains("TPU"));
    e = assertThrows(IllegalArgumentException.class, () -> GraphSession.onDevice("GPU"));
    assertTrue(e.getMessage().contains("\"GPU\""));
  }
}
