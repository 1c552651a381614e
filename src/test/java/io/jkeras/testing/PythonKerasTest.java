package io.jkeras.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class PythonKerasTest {

  @Test
  void runsThePinnedKerasWithQuietTensorFlow() {
    PythonKeras.Result r =
        PythonKeras.runCode(
            "import os, sys, keras, h5py\n"
                + "print(keras.__version__, os.environ['TF_CPP_MIN_LOG_LEVEL'], sys.argv[1])",
            "arg");
    assertEquals("3.15.1 3 arg", r.stdout().trim());
    assertTrue(Files.isRegularFile(PythonKeras.script("saving/inspect_h5.py")));
  }

  @Test
  void aFailingScriptFailsTheTestWithEverythingItPrinted() {
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () -> PythonKeras.runCode("import sys\nprint('to stdout')\nsys.exit('to stderr')"));
    assertTrue(e.getMessage().contains("exited with 1"), e.getMessage());
    assertTrue(e.getMessage().contains("to stdout"), e.getMessage());
    assertTrue(e.getMessage().contains("to stderr"), e.getMessage());
  }
}
