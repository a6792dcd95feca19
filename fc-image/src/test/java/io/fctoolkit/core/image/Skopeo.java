package io.fctoolkit.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code skopeo inspect}, an independent tool, to check what jib wrote. */
final class Skopeo {

  private Skopeo() {}

  /** {@code skopeo inspect [--tls-verify=false] <transport:reference>} as JSON. */
  static JsonNode inspect(String reference, boolean raw) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("skopeo", "inspect"));
    if (raw) {
      command.add("--raw");
    }
    if (reference.startsWith("docker://")) {
      command.add("--tls-verify=false");
    }
    command.add(reference);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("skopeo timed out: " + command);
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException("skopeo failed (" + process.exitValue() + "): " + text);
    }
    return new ObjectMapper().readTree(text);
  }
}
