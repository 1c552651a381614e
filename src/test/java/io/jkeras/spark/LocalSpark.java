package io.jkeras.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: {@code local[2]} on the loopback interface, without the web UI. */
final class LocalSpark {

  private LocalSpark() {}

  static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("jkeras-test")
        .config("spark.ui.enabled", "false")
        // The machine's other interface may not be reachable: keep the driver on loopback.
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        // On a loaded shared machine heartbeats can lag by minutes; past the network timeout Spark
        // drops the local executor and the next job never runs.
        .config("spark.network.timeout", "900s")
        .config("spark.executor.heartbeatInterval", "60s")
        .getOrCreate();
  }
}
