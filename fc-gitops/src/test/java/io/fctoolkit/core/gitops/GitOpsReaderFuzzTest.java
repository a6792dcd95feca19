package io.fctoolkit.core.gitops;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Feeds arbitrary bytes to {@link GitOpsRepository#open} as one file of the valid fixture and holds
 * the reader to its contract: it returns a repository, or throws {@link GitOpsValidationException}
 * whose every error names a fixture file, has a non-blank message and a line within that file (0
 * for a file-level error); any other throwable fails, and so does an input whose reading takes over
 * 5 s of the reader thread's CPU time (or 120 s of wall time). CPU time, not wall time, because the
 * build shares its machine: at a load average of 25 an ordinary file took over 5 s of wall time.
 *
 * <p>The first byte picks the file: even for {@code functions/grader.yaml}, odd for {@code
 * environments/prod/environment.yaml} (the corpus files start with {@code F} or {@code E}); the
 * rest is its content. The other files stay valid, so cross-file checks run too.
 *
 * <p>{@code mvn test} replays the corpus in {@code GitOpsReaderFuzzTestInputs/files} (regression
 * mode). To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -o -pl fc-core,fc-gitops test
 * -Dtest=GitOpsReaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false} (at most {@link
 * FuzzTest#maxDuration} below); findings land in the same folder as {@code crash-*} files.
 */
class GitOpsReaderFuzzTest {
  private static final long CPU_LIMIT_SECONDS = 5;
  private static final long WALL_LIMIT_SECONDS = 120;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static Path dir;
  private static Path root;
  private static Map<String, byte[]> valid;
  private static ExecutorService reader;
  private static volatile Thread readerThread;

  @BeforeAll
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("gitops-fuzz");
    root = Fixtures.copyValid(dir.resolve("gitops"));
    valid = new HashMap<>();
    for (String file : new String[] {Fixtures.GRADER, Fixtures.PROD, Fixtures.DEV}) {
      valid.put(file, Files.readAllBytes(root.resolve(file)));
    }
    // One daemon thread reads, so a hanging input fails the run instead of blocking it.
    reader = newReader();
    // Class loading and the first JIT work are not the first input's cost.
    try {
      reader.submit(() -> GitOpsRepository.open(root)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("the valid fixture does not read", e);
    }
  }

  private static ExecutorService newReader() {
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread thread = new Thread(task, "gitops-fuzz-reader");
          thread.setDaemon(true);
          readerThread = thread;
          return thread;
        });
  }

  @AfterAll
  static void tearDown() throws IOException {
    reader.shutdownNow();
    try (var files = Files.walk(dir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void files(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    String fuzzed = (input[0] & 1) == 0 ? Fixtures.GRADER : Fixtures.PROD;
    byte[] content = java.util.Arrays.copyOfRange(input, 1, input.length);
    Map<String, byte[]> files = new HashMap<>(valid);
    files.put(fuzzed, content);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(root.resolve(file.getKey()), file.getValue());
    }

    Future<GitOpsRepository> opened = reader.submit(() -> GitOpsRepository.open(root));
    try {
      await(opened, fuzzed, content);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GitOpsValidationException refused)) {
        throw new AssertionError(
            "reading " + fuzzed + " threw " + e.getCause() + " for " + escape(content),
            e.getCause());
      }
      check(refused, files, fuzzed, content);
    }
  }

  /** Waits for the read, failing when it used too much of its thread's CPU or of wall time. */
  private static void await(Future<GitOpsRepository> opened, String fuzzed, byte[] content)
      throws ExecutionException, InterruptedException {
    Thread thread = readerThread;
    long cpuAtStart = THREADS.getThreadCpuTime(thread.getId());
    long wallDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WALL_LIMIT_SECONDS);
    while (true) {
      try {
        opened.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        long cpu = THREADS.getThreadCpuTime(thread.getId()) - cpuAtStart;
        boolean overCpu = cpu > TimeUnit.SECONDS.toNanos(CPU_LIMIT_SECONDS);
        if (overCpu || System.nanoTime() > wallDeadline) {
          opened.cancel(true);
          // The stuck reader may never stop: later inputs get a fresh thread.
          reader.shutdownNow();
          reader = newReader();
          throw new AssertionError(
              "reading "
                  + fuzzed
                  + (overCpu
                      ? " used over " + CPU_LIMIT_SECONDS + " s of CPU"
                      : " took over " + WALL_LIMIT_SECONDS + " s")
                  + ": "
                  + escape(content));
        }
      }
    }
  }

  private static void check(
      GitOpsValidationException refused, Map<String, byte[]> files, String fuzzed, byte[] content) {
    if (refused.errors().isEmpty()) {
      throw new AssertionError("refused without errors: " + escape(content));
    }
    for (ValidationError error : refused.errors()) {
      byte[] text = files.get(error.file());
      boolean ok =
          text != null
              && !error.message().isBlank()
              && error.line() >= 0
              && error.line() <= lines(text)
              && (error.line() == 0 ? error.column() == 0 : error.column() >= 1);
      if (!ok) {
        throw new AssertionError(
            "badly positioned error "
                + error
                + " (file has "
                + (text == null ? "?" : lines(text))
                + " lines) for "
                + fuzzed
                + ": "
                + escape(content));
      }
    }
  }

  /**
   * The lines a YAML reader can report in {@code text}: one more than its line breaks (the last,
   * possibly empty, line after the final break). Every break YAML 1.1 readers know is counted, so
   * the bound is generous for \r\n but never too tight.
   */
  private static int lines(byte[] text) {
    String s = new String(text, java.nio.charset.StandardCharsets.UTF_8);
    int breaks = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        breaks++;
      }
    }
    return breaks + 1;
  }

  private static String escape(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      if (sb.length() > 2000) {
        return sb + "... (" + bytes.length + " bytes)";
      }
      int c = bytes[i] & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
