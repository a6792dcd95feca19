package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grader's configuration, read once from environment variables.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code GRADER_ALLOWED_HOSTS}</td><td>(none)</td><td>comma-separated {@code host} or
 *       {@code host:port} entries that http(s) image URIs may name</td></tr>
 *   <tr><td>{@code GRADER_FILE_ROOTS}</td><td>(none)</td><td>comma-separated absolute folders
 *       that {@code file:} image URIs may point into</td></tr>
 *   <tr><td>{@code GRADER_MAX_IMAGE_BYTES}</td><td>20971520</td><td>size cap of a photo</td></tr>
 *   <tr><td>{@code GRADER_MAX_PIXELS}</td><td>50000000</td><td>largest declared width x height
 *       that is decoded</td></tr>
 *   <tr><td>{@code GRADER_CONNECT_TIMEOUT_MS}</td><td>2000</td><td>connect timeout</td></tr>
 *   <tr><td>{@code GRADER_FETCH_TIMEOUT_MS}</td><td>10000</td><td>whole-fetch deadline</td></tr>
 *   <tr><td>{@code GRADER_MAX_REDIRECTS}</td><td>3</td><td>redirects followed, each checked
 *       against the allow-list</td></tr>
 *   <tr><td>{@code GRADER_PHOTO_TOKEN}</td><td>(none)</td><td>sent as {@code Authorization:
 *       Bearer} to the host the image URI names (not to a redirect's other host); never
 *       printed</td></tr>
 *   <tr><td>{@code GRADER_WARMUP}</td><td>train</td><td>when the stored photo is graded at
 *       construction: {@code train} only in the host's training run ({@code FC_TRAIN=1}, so the
 *       class-data archive holds what a grading needs), {@code 1} at every start too, {@code
 *       background} at every start on its own thread, {@code 0} never (read by {@link
 *       io.fctoolkit.grader.internal.WarmUp})</td></tr>
 *   <tr><td>{@code GRADER_VERSION}, else {@code FC_VERSION}</td><td>the project version
 *       from the build, else {@code dev}</td><td>version reported in every result</td></tr>
 * </table>
 *
 * @param allowedHosts lower-case {@code host} or {@code host:port} entries
 * @param fileRoots absolute, normalised folders
 * @param maxImageBytes size cap of a photo
 * @param maxPixels largest declared pixel count that is decoded
 * @param connectTimeout connect timeout
 * @param fetchTimeout deadline for the whole fetch, redirects and body included
 * @param maxRedirects redirects followed
 * @param version version reported in every result
 * @param photoToken bearer token sent to the image host named by the submission, or null
 */
public record GraderConfig(
    List<String> allowedHosts,
    List<Path> fileRoots,
    long maxImageBytes,
    long maxPixels,
    Duration connectTimeout,
    Duration fetchTimeout,
    int maxRedirects,
    String version,
    String photoToken) {

  public GraderConfig {
    allowedHosts = List.copyOf(allowedHosts);
    fileRoots = List.copyOf(fileRoots);
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(fetchTimeout, "fetchTimeout");
    requireNonNull(version, "version");
    if (maxImageBytes <= 0 || maxPixels <= 0 || maxRedirects < 0) {
      throw new IllegalArgumentException("size caps must be positive and redirects >= 0");
    }
  }

  /** Reads the configuration from {@code env}; bad values name the variable and the fix. */
  public static GraderConfig fromEnv(Map<String, String> env) {
    List<String> hosts = new ArrayList<>();
    for (String entry : list(env.get("GRADER_ALLOWED_HOSTS"))) {
      String host = entry.toLowerCase(Locale.ROOT);
      if (host.contains("/") || host.contains("@") || host.contains("*")) {
        throw new IllegalArgumentException(
            "GRADER_ALLOWED_HOSTS entry '"
                + entry
                + "' is not a host or host:port; write e.g. images.example.com or"
                + " 127.0.0.1:9000 (no scheme, path or wildcard)");
      }
      hosts.add(host);
    }
    List<Path> roots = new ArrayList<>();
    for (String entry : list(env.get("GRADER_FILE_ROOTS"))) {
      Path root = Path.of(entry);
      if (!root.isAbsolute()) {
        throw new IllegalArgumentException(
            "GRADER_FILE_ROOTS entry '"
                + entry
                + "' must be an absolute folder, e.g. /data/photos");
      }
      root = root.normalize();
      if (Files.isDirectory(root)) {
        try {
          root = root.toRealPath();
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("GRADER_FILE_ROOTS entry '" + entry + "': " + e, e);
        }
      }
      roots.add(root);
    }
    String version = env.get("GRADER_VERSION");
    if (version == null || version.isBlank()) {
      version = env.get("FC_VERSION");
    }
    if (version == null || version.isBlank()) {
      version = builtVersion();
    }
    if (version == null || version.isBlank()) {
      version = "dev";
    }
    return new GraderConfig(
        hosts,
        roots,
        number(env, "GRADER_MAX_IMAGE_BYTES", 20L * 1024 * 1024),
        number(env, "GRADER_MAX_PIXELS", 50_000_000L),
        Duration.ofMillis(number(env, "GRADER_CONNECT_TIMEOUT_MS", 2000)),
        Duration.ofMillis(number(env, "GRADER_FETCH_TIMEOUT_MS", 10_000)),
        (int) number(env, "GRADER_MAX_REDIRECTS", 3),
        version.trim(),
        blankToNull(env.get("GRADER_PHOTO_TOKEN")));
  }

  /** Never prints the photo token. */
  @Override
  public String toString() {
    return "GraderConfig[allowedHosts="
        + allowedHosts
        + ", fileRoots="
        + fileRoots
        + ", maxImageBytes="
        + maxImageBytes
        + ", maxPixels="
        + maxPixels
        + ", connectTimeout="
        + connectTimeout
        + ", fetchTimeout="
        + fetchTimeout
        + ", maxRedirects="
        + maxRedirects
        + ", version="
        + version
        + ", photoToken="
        + (photoToken == null ? "(none)" : "****")
        + "]";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The project version the build wrote into {@code version.properties}, or null. */
  private static String builtVersion() {
    try (var in = GraderConfig.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return null;
      }
      var properties = new java.util.Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      return version == null || version.contains("${") ? null : version;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name
              + "='"
              + value
              + "' is not a non-negative whole number; unset it for the default "
              + fallback,
          e);
    }
  }
}
