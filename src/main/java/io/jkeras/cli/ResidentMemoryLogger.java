package io.jkeras.cli;

import io.jkeras.callbacks.Callback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints the process's resident memory (VmRSS from /proc/self/status, Linux) after every epoch, for
 * the memory check that a training loop does not grow native memory.
 */
final class ResidentMemoryLogger implements Callback {

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    System.out.println("RSS after epoch " + (epoch + 1) + ": " + residentKb() + " kB");
  }

  static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
