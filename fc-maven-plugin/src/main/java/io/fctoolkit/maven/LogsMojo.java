package io.fctoolkit.maven;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.Durations;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.LogChunk;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.LogLines;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints the log of a version, or of the version(s) an alias routes to (both of a canary, each line
 * prefixed with its version), naming the file; with {@code -Dfc.follow} it keeps printing what is
 * written, and follows an alias to the versions it moves to. Skipped with {@code
 * -Dfc.logs.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "logs", threadSafe = true)
public class LogsMojo extends AbstractFcMojo {

  private static final long POLL_MILLIS = 500;
  private static final long ALIAS_CHECK_MILLIS = 2000;

  /**
   * The alias whose version(s) to show; ignored when {@code fc.version} is set.
   *
   * <pre>
   * &lt;alias&gt;dev&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias", defaultValue = "dev")
  String alias;

  /**
   * The version whose log to show.
   *
   * <pre>
   * &lt;version&gt;3&lt;/version&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.version")
  Integer version;

  /**
   * How many of the last lines to print first (at most 10000).
   *
   * <pre>
   * &lt;lines&gt;100&lt;/lines&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.lines", defaultValue = "100")
  int lines;

  /**
   * Keeps printing what the log gets: {@code true} until Ctrl-C, or a duration ({@code 30s}, {@code
   * 5m}) after which the goal ends; {@code false} (the default) prints and ends.
   *
   * <pre>
   * &lt;follow&gt;true&lt;/follow&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.follow", defaultValue = "false")
  String follow;

  @Override
  String goal() {
    return "logs";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    if (lines < 0 || lines > 10_000) {
      throw Hints.invalidRequest("lines", Integer.toString(lines), "a number from 0 to 10000");
    }
    Duration followFor = followDuration(follow);
    try (Platform platform = platform(fc, false)) {
      Set<Integer> versions = versions(platform, name);
      boolean prefix = version == null; // an alias may route to two versions, or move on
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      Map<Integer, LogLines> splitters = new LinkedHashMap<>();
      for (int v : versions) {
        LogChunk tail = read(platform, name, v, -Math.max(lines, 1));
        getLog().info("Log of " + name + " v" + v + ": " + tail.location());
        LogLines split = new LogLines(prefix ? "[v" + v + "] " : "");
        if (lines > 0) {
          split.add(tail.data()).forEach(getLog()::info);
          split.flush().forEach(getLog()::info);
        }
        offsets.put(v, tail.nextOffset());
        splitters.put(v, split);
      }
      if (followFor.isZero()) {
        return;
      }
      getLog()
          .info(
              "Following"
                  + (followFor.equals(FOREVER)
                      ? " (Ctrl-C stops)"
                      : " for " + followFor.toSeconds() + " s"));
      long deadline =
          followFor.equals(FOREVER) ? Long.MAX_VALUE : System.nanoTime() + followFor.toNanos();
      long nextAliasCheck = System.nanoTime() + ALIAS_CHECK_MILLIS * 1_000_000;
      while (System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
        for (Map.Entry<Integer, Long> entry : offsets.entrySet()) {
          LogChunk chunk = read(platform, name, entry.getKey(), entry.getValue());
          splitters.get(entry.getKey()).add(chunk.data()).forEach(getLog()::info);
          entry.setValue(chunk.nextOffset());
        }
        if (version == null && System.nanoTime() >= nextAliasCheck) {
          nextAliasCheck = System.nanoTime() + ALIAS_CHECK_MILLIS * 1_000_000;
          for (int v : versions(platform, name)) {
            if (!offsets.containsKey(v)) {
              // A version the alias moved to: its whole log is new to this reader.
              LogChunk start = read(platform, name, v, 0);
              getLog().info("Alias " + alias + " now routes to v" + v + ": " + start.location());
              LogLines split = new LogLines("[v" + v + "] ");
              split.add(start.data()).forEach(getLog()::info);
              offsets.put(v, start.nextOffset());
              splitters.put(v, split);
            }
          }
        }
      }
      splitters.values().forEach(s -> s.flush().forEach(getLog()::info));
    }
  }

  /** Marks "until Ctrl-C". */
  static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

  /** {@code false}: zero; {@code true} (or empty, as a bare {@code -Dfc.follow}): for ever. */
  static Duration followDuration(String follow) {
    if (follow == null || follow.isBlank() || follow.trim().equalsIgnoreCase("true")) {
      return follow == null ? Duration.ZERO : FOREVER;
    }
    if (follow.trim().equalsIgnoreCase("false")) {
      return Duration.ZERO;
    }
    return Durations.parse(follow.trim())
        .orElseThrow(
            () ->
                Hints.invalidRequest(
                    "follow", follow, "true, false, or a duration such as " + Durations.EXAMPLES));
  }

  private Set<Integer> versions(Platform platform, String name) {
    if (version != null) {
      return Set.of(version);
    }
    FunctionState state =
        platform
            .describe(name)
            .orElseThrow(
                () -> new NotFoundException("function", name, "deploy it first (mvn fc:deploy)"));
    Alias a =
        state
            .alias(Hints.aliasName(alias))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "alias",
                        name + "/" + alias,
                        "name an alias of "
                            + name
                            + " with -Dfc.alias, or a version with -Dfc.version"));
    Set<Integer> out = new LinkedHashSet<>();
    out.add(a.target().version());
    if (a.target().canaryVersion() != null) {
      out.add(a.target().canaryVersion());
    }
    return out;
  }

  private static LogChunk read(Platform platform, String name, int v, long offset) {
    Optional<LogChunk> chunk = platform.readLog(name, v, offset);
    return chunk.orElseThrow(
        () ->
            new FcException(
                platform.target() + " keeps no log that fc:logs can read",
                platform
                    .logLocation(name, v)
                    .map(where -> "read it there: " + where)
                    .orElse("use the platform's own tools")));
  }
}
