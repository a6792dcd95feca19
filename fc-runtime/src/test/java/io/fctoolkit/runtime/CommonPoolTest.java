package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On 2 cores the JDK's default {@code CompletableFuture} executor starts a thread per task, and
 * {@code HttpClient.sendAsync} completes every answer there: {@code RuntimeMain} must size the
 * common pool first. Checked in a child JVM that sees 2 cores, since the pool is made once.
 */
class CommonPoolTest {

  /** The child: what {@code RuntimeMain.main} does first, then the executor answers run on. */
  public static final class Child {
    public static void main(String[] args) {
      if (args.length > 0 && args[0].equals("sized")) {
        RuntimeMain.sizeCommonPool();
      }
      System.out.print(new CompletableFuture<Void>().defaultExecutor().getClass().getSimpleName());
    }
  }

  @Test
  void runtimeMain_onTwoCores_completesAnswersOnThePool_notOnAThreadEach() throws Exception {
    assertThat(child()).isEqualTo("ThreadPerTaskExecutor");
    assertThat(child("sized")).isEqualTo("ForkJoinPool");
  }

  private static String child(String... args) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java.toString(),
                "-XX:ActiveProcessorCount=2",
                "-cp",
                System.getProperty("java.class.path"),
                Child.class.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out;
    } finally {
      p.destroyForcibly();
    }
  }
}
