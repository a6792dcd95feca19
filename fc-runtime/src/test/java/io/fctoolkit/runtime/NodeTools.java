package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the dashboard's Node tools (fc-runtime/dashboard): installs its locked packages with {@code
 * npm ci} when they are missing or the lockfile changed, and runs node scripts with a deadline,
 * their output kept in a file under target/.
 */
final class NodeTools {

  static final Path DASHBOARD = Path.of("dashboard").toAbsolutePath();
  private static final Path STAMP = DASHBOARD.resolve("node_modules/.fc-lock-sha256");

  /** What a run printed and how it ended. */
  record Run(int exitCode, String output) {}

  private NodeTools() {}

  /** {@code npm ci} unless node_modules already holds what package-lock.json names. */
  static synchronized void install() throws Exception {
    require("node");
    require("npm");
    String lock = sha256(Files.readAllBytes(DASHBOARD.resolve("package-lock.json")));
    if (Files.exists(STAMP) && Files.readString(STAMP).trim().equals(lock)) {
      return;
    }
    Run run =
        run(
            List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"),
            Map.of(),
            Duration.ofMinutes(5),
            "npm-ci");
    assertThat(run.exitCode()).as("npm ci in %s:%n%s", DASHBOARD, run.output()).isZero();
    Files.writeString(STAMP, lock);
  }

  /** Runs {@code command} in the dashboard folder; output goes to target/node-<name>.log too. */
  static Run run(List<String> command, Map<String, String> env, Duration timeout, String name)
      throws Exception {
    Path log = Path.of("target").toAbsolutePath().resolve("node-" + name + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(new ArrayList<>(command))
            .directory(DASHBOARD.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Run(-1, "timed out after " + timeout + "\n" + read(log));
      }
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    return new Run(p.exitValue(), read(log));
  }

  /** Debian's Chromium, or the browser {@code CHROMIUM} names. */
  static String chromium() {
    String configured = System.getenv("CHROMIUM");
    String path = configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured;
    assertThat(Path.of(path))
        .as(
            "the dashboard's browser test drives Chromium at %s; install it with"
                + " 'apt-get install -y chromium' (./run-tests.sh does) or set CHROMIUM",
            path)
        .isRegularFile();
    return path;
  }

  private static void require(String tool) throws Exception {
    Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as(
            "the dashboard's build check and browser test need %s (apt-get install -y nodejs npm;"
                + " ./run-tests.sh does): %s",
            tool, out)
        .isTrue();
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
