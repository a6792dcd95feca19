package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A command line counts as our broker's only with the owner option and, in order, the launcher, the
 * Kafka server and this directory's configuration: the check that stands between the orphan reaper
 * and killing somebody else's process.
 */
class BrokerJvmTest {
  private static final Path CONFIG = Path.of("/data/kafka/server.properties");
  private static final String LAUNCHER = "io.fctoolkit.runtime.kafka.internal.BrokerLauncher";

  private static List<String> commandLine(String owner, String main, String config) {
    return List.of(
        "/usr/bin/java",
        "-Dfc.kafka.owner=" + owner,
        "-Xmx512m",
        "-cp",
        "a.jar:b.jar",
        LAUNCHER,
        main,
        config);
  }

  @Test
  void isServer_ownerLauncherServerAndConfig_isOurs() {
    assertThat(
            BrokerJvm.isServer(commandLine("m1", "kafka.Kafka", CONFIG.toString()), CONFIG, "m1"))
        .isTrue();
  }

  @Test
  void isServer_otherOwnerMainOrDirectory_isNotOurs() {
    assertThat(
            BrokerJvm.isServer(commandLine("m2", "kafka.Kafka", CONFIG.toString()), CONFIG, "m1"))
        .as("another runtime's broker")
        .isFalse();
    assertThat(
            BrokerJvm.isServer(
                commandLine("m1", "kafka.tools.StorageTool", CONFIG.toString()), CONFIG, "m1"))
        .as("the storage tool")
        .isFalse();
    assertThat(
            BrokerJvm.isServer(
                commandLine("m1", "kafka.Kafka", "/other/server.properties"), CONFIG, "m1"))
        .as("a broker on another directory")
        .isFalse();
  }

  @Test
  void isServer_commandLineCutBeforeTheConfig_provesNothing() {
    List<String> full = commandLine("m1", "kafka.Kafka", CONFIG.toString());
    assertThat(BrokerJvm.isServer(full.subList(0, full.size() - 1), CONFIG, "m1")).isFalse();
  }
}
