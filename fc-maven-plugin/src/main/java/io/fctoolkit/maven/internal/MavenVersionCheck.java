package io.fctoolkit.maven.internal;

import java.util.Optional;

/**
 * The plugin's Maven requirement, checked before a goal does anything, with a message that points
 * at the project's Maven wrapper. The required version is {@code plugin.requiredMaven} of
 * fc-maven-plugin's pom, filtered into {@code maven-requirement.properties}; the descriptor's own
 * prerequisite is lower so that an older Maven gets this far (Maven's own refusal does not name the
 * wrapper).
 */
public final class MavenVersionCheck {

  private MavenVersionCheck() {}

  /** The Maven version the plugin needs, as its pom declares it. */
  public static String required() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in =
        MavenVersionCheck.class.getResourceAsStream(
            "/io/fctoolkit/maven/maven-requirement.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "maven-requirement.properties is missing from the plugin jar");
      }
      p.load(in);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the plugin's Maven requirement", e);
    }
    return p.getProperty("required");
  }

  /** The error for a Maven older than {@code required}, or empty when it is recent enough. */
  public static Optional<String> problem(String running, String required) {
    if (required == null || required.isBlank() || running == null || atLeast(running, required)) {
      return Optional.empty();
    }
    return Optional.of(
        "fc-maven-plugin needs Maven "
            + required
            + " or newer, but this is Maven "
            + running
            + ". Run the build with the Maven wrapper, ./mvnw (mvnw.cmd on Windows), which"
            + " downloads the Maven version the project names in .mvn/wrapper/"
            + "maven-wrapper.properties; or install Maven "
            + required
            + " or newer (https://maven.apache.org/download.cgi)");
  }

  /** Compares dotted numbers ({@code 3.9.11} against {@code 3.9}); a qualifier is ignored. */
  static boolean atLeast(String running, String required) {
    int[] a = numbers(running);
    int[] b = numbers(required);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int x = i < a.length ? a[i] : 0;
      int y = i < b.length ? b[i] : 0;
      if (x != y) {
        return x > y;
      }
    }
    return true;
  }

  private static int[] numbers(String version) {
    String plain = version.trim().split("[-+ ]", 2)[0];
    String[] parts = plain.split("\\.");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String digits = parts[i].replaceAll("[^0-9].*$", "");
      out[i] = digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }
    return out;
  }
}
