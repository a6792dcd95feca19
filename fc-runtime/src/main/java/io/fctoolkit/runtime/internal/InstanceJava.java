package io.fctoolkit.runtime.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK that runs instances and how it makes and uses class-data archives: JDK 25's AOT cache
 * (JEP 483/514) when the JDK has it, AppCDS dynamic archives otherwise.
 *
 * @param home the JDK's home folder
 * @param feature its feature release, e.g. 17 or 25
 */
public record InstanceJava(Path home, int feature) {

  private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  public InstanceJava {
    requireNonNull(home, "home");
  }

  /**
   * The configured JDK ({@code configured}, else {@code FC_INSTANCE_JAVA_HOME}), or the fastest
   * found: a JDK with the AOT cache (25+) if one is installed, else the JDK running the runtime.
   */
  public static InstanceJava choose(String configured) {
    String chosen = configured != null ? configured : System.getenv("FC_INSTANCE_JAVA_HOME");
    if (chosen != null && !chosen.isBlank()) {
      Path home = Path.of(chosen);
      return of(home)
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "instance JDK '"
                          + chosen
                          + "' has no bin/java or release file; set FC_INSTANCE_JAVA_HOME"
                          + " (or --instance-java-home) to a JDK home"));
    }
    List<InstanceJava> found = new ArrayList<>();
    of(TEMURIN_25).ifPresent(found::add);
    try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
      jvms.map(InstanceJava::of).flatMap(Optional::stream).forEach(found::add);
    } catch (IOException e) {
      // No /usr/lib/jvm: only the current JDK is known.
    }
    of(Path.of(System.getProperty("java.home"))).ifPresent(found::add);
    return found.stream()
        .max(Comparator.comparingInt(InstanceJava::feature))
        .orElseGet(
            () ->
                new InstanceJava(
                    Path.of(System.getProperty("java.home")), Runtime.version().feature()));
  }

  /** Reads a JDK home, if it is one. */
  public static Optional<InstanceJava> of(Path home) {
    Path java = home.resolve("bin/java");
    Path release = home.resolve("release");
    if (!Files.isExecutable(java) || !Files.exists(release)) {
      return Optional.empty();
    }
    try {
      Matcher m = VERSION.matcher(Files.readString(release));
      if (!m.find()) {
        return Optional.empty();
      }
      String major = m.group(1);
      int feature = Integer.parseInt(major.equals("1") ? "8" : major);
      return feature >= 17
          ? Optional.of(new InstanceJava(home.toRealPath(), feature))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public Path executable() {
    return home.resolve("bin/java");
  }

  /** Whether the JDK has the AOT cache (JDK 25+ with one-step training). */
  public boolean hasAotCache() {
    return feature >= 25;
  }

  /** A short tag naming the archive format and JDK, used in archive file names. */
  public String archiveTag() {
    return (hasAotCache() ? "aot" : "cds")
        + "-jdk"
        + feature
        + "-"
        + Integer.toHexString(home.toString().hashCode());
  }

  /** JVM flags of the training run that writes {@code archive}. */
  public List<String> trainingFlags(Path archive) {
    return hasAotCache()
        ? List.of("-XX:AOTCacheOutput=" + archive)
        : List.of("-XX:ArchiveClassesAtExit=" + archive);
  }

  /** JVM flags of a run that uses {@code archive}. */
  public List<String> runFlags(Path archive) {
    return hasAotCache()
        ? List.of("-XX:AOTCache=" + archive)
        : List.of("-XX:SharedArchiveFile=" + archive);
  }

  @Override
  public String toString() {
    return "JDK " + feature + " at " + home;
  }
}
