package io.fctoolkit.grader.internal;

import io.fctoolkit.grader.GraderConfig;
import io.fctoolkit.grader.ImageFetchRejectedException;
import io.fctoolkit.grader.ImageFetchTimeoutException;
import io.fctoolkit.grader.ImageHostUnavailableException;
import io.fctoolkit.grader.ImageNotFoundException;
import io.fctoolkit.grader.ImageTooLargeException;
import io.fctoolkit.grader.SourceNotAllowedException;
import io.fctoolkit.grader.UnsupportedSchemeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fetches photo bytes from the allowed {@code file:} roots and {@code http(s)} hosts only, with
 * timeouts and a size cap. Redirects are followed by hand so that each hop is checked against the
 * allow-list (no server-side request forgery through an open redirect).
 */
public final class ImageFetcher {

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            var t = new Thread(r, "grader-fetch-deadline");
            t.setDaemon(true);
            return t;
          });

  private final GraderConfig config;

  // Building the HttpClient takes about 0.3 s of CPU on a cold JVM (java.net.http and the default
  // TLS context, measured on JDK 17 and 25). With hosts allowed it is built on its own thread, so
  // that it overlaps the rest of the start-up; an http(s) fetch that comes before it is done waits
  // for it. With none allowed no http(s) fetch can pass checkHost, so it is never built: on two
  // cores that thread competed with the first request's grading (docs/performance.md).
  private final CompletableFuture<HttpClient> http;

  /** A fetcher enforcing {@code config}'s allow-list, timeouts and size cap. */
  public ImageFetcher(GraderConfig config) {
    this.config = config;
    this.http =
        config.allowedHosts().isEmpty()
            ? null
            : CompletableFuture.supplyAsync(
                () ->
                    HttpClient.newBuilder()
                        .connectTimeout(config.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                task -> {
                  Thread t = new Thread(task, "grader-http-client-init");
                  t.setDaemon(true);
                  t.start();
                });
  }

  /** Whether this fetcher has (or is building) an HTTP client: only when hosts are allowed. */
  boolean hasHttpClient() {
    return http != null;
  }

  /** The photo at {@code uri}; a {@link io.fctoolkit.grader.GraderException} says why not. */
  public byte[] fetch(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "file" -> readFile(uri);
      case "http", "https" -> readHttp(uri);
      default ->
          throw new UnsupportedSchemeException(
              "imageUri scheme '"
                  + scheme
                  + "' is not supported; use file:, http: or https: ("
                  + safe(uri)
                  + ")",
              Map.of("field", "imageUri", "scheme", scheme));
    };
  }

  /** {@code uri} without user info and query, safe to print. */
  public static String safe(URI uri) {
    if (uri.isOpaque() || uri.getScheme() == null) {
      return uri.getScheme() == null ? "(relative URI)" : uri.getScheme() + ":...";
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (java.net.URISyntaxException e) {
      return uri.getScheme() + "://" + uri.getHost();
    }
  }

  private byte[] readFile(URI uri) {
    Path path;
    try {
      if (uri.getAuthority() != null || uri.isOpaque()) {
        throw new IllegalArgumentException("file URIs must look like file:///absolute/path");
      }
      path = Path.of(uri).normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new SourceNotAllowedException(
          "imageUri " + safe(uri) + " is not an absolute file:///path URI",
          Map.of("field", "imageUri"));
    }
    // Check before touching the file system, so paths outside the roots reveal nothing.
    if (!underRoot(path)) {
      throw notAllowedPath(path);
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new ImageNotFoundException(
          "No image at " + path + "; check the submission's imageUri",
          Map.of("path", path.toString()));
    } catch (IOException e) {
      throw new ImageNotFoundException(
          "Cannot read " + path + ": " + e.getMessage(), Map.of("path", path.toString()), e);
    }
    // A symbolic link inside a root may point outside it.
    if (!underRoot(real)) {
      throw notAllowedPath(path);
    }
    try {
      if (!Files.isRegularFile(real)) {
        throw new ImageNotFoundException(
            path + " is not a regular file", Map.of("path", path.toString()));
      }
      long size = Files.size(real);
      if (size > config.maxImageBytes()) {
        throw tooLarge(size);
      }
      try (InputStream in = Files.newInputStream(real)) {
        return readCapped(in);
      }
    } catch (IOException e) {
      throw new ImageNotFoundException(
          "Cannot read " + path + ": " + e.getMessage(), Map.of("path", path.toString()), e);
    }
  }

  private boolean underRoot(Path path) {
    return config.fileRoots().stream().anyMatch(path::startsWith);
  }

  private SourceNotAllowedException notAllowedPath(Path path) {
    return new SourceNotAllowedException(
        "imageUri points outside the allowed file roots; allowed: "
            + (config.fileRoots().isEmpty() ? "(none: set GRADER_FILE_ROOTS)" : config.fileRoots()),
        Map.of("field", "imageUri", "path", path.toString()));
  }

  private byte[] readHttp(URI first) {
    checkHost(first, false);
    // Not null here: checkHost passed, so a host is allowed. Waiting for the client to be built is
    // the grader's own start-up, not the image host's time: the deadline starts after it.
    HttpClient client = http.join();
    long deadline = System.nanoTime() + config.fetchTimeout().toNanos();
    URI uri = first;
    for (int hop = 0; ; hop++) {
      checkHost(uri, hop > 0);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timeout(first);
      }
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).GET();
      // The credential goes to the host the submission names only, never along a redirect to
      // another host (even an allowed one), as browsers and curl do.
      if (config.photoToken() != null && sameOrigin(uri, first)) {
        builder.header("Authorization", "Bearer " + config.photoToken());
      }
      HttpRequest request = builder.build();
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpTimeoutException e) {
        throw timeout(first);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImageHostUnavailableException(
            "Interrupted while fetching " + safe(first), Map.of("uri", safe(first)), e);
      } catch (IOException e) {
        throw new ImageHostUnavailableException(
            "Cannot reach the image host of " + safe(uri) + ": " + e, Map.of("uri", safe(uri)), e);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        close(response.body());
        String location = response.headers().firstValue("location").orElse(null);
        if (location == null) {
          throw new ImageFetchRejectedException(
              "The image host answered " + status + " without a Location for " + safe(uri),
              Map.of("uri", safe(uri), "upstreamStatus", status));
        }
        if (hop >= config.maxRedirects()) {
          throw new ImageFetchRejectedException(
              "More than " + config.maxRedirects() + " redirects for " + safe(first),
              Map.of("uri", safe(first), "maxRedirects", config.maxRedirects()));
        }
        uri = uri.resolve(location);
        continue;
      }
      if (status == 200) {
        return readBody(response, first, deadline);
      }
      close(response.body());
      if (status == 404 || status == 410) {
        throw new ImageNotFoundException(
            "The image host has no image at " + safe(uri) + " (HTTP " + status + ")",
            Map.of("uri", safe(uri), "upstreamStatus", status));
      }
      if (status == 429 || status == 408 || status >= 500) {
        throw new ImageHostUnavailableException(
            "The image host answered HTTP " + status + " for " + safe(uri) + "; retry later",
            Map.of("uri", safe(uri), "upstreamStatus", status));
      }
      throw new ImageFetchRejectedException(
          "The image host refused " + safe(uri) + " with HTTP " + status,
          Map.of("uri", safe(uri), "upstreamStatus", status));
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private void checkHost(URI uri, boolean redirected) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new SourceNotAllowedException(
          "A redirect leads to a " + scheme + ": URI, which is never followed",
          Map.of("field", "imageUri", "redirect", true));
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
    // A bare host entry allows the scheme's default port only, so an allowed name cannot be used
    // to reach other services on the same machine.
    boolean allowed =
        !host.isEmpty()
            && config.allowedHosts().stream()
                .anyMatch(
                    entry ->
                        (defaultPort && entry.equals(host)) || entry.equals(host + ":" + port));
    if (!allowed) {
      throw new SourceNotAllowedException(
          (redirected ? "A redirect leads to host '" : "imageUri names host '")
              + host
              + (uri.getPort() != -1 ? ":" + uri.getPort() : "")
              + "', which is not in GRADER_ALLOWED_HOSTS; images are only fetched from "
              + (config.allowedHosts().isEmpty() ? "(no host configured)" : config.allowedHosts()),
          Map.of("field", "imageUri", "host", host, "redirect", redirected));
    }
  }

  private byte[] readBody(HttpResponse<InputStream> response, URI first, long deadline) {
    InputStream body = response.body();
    long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
    if (declared > config.maxImageBytes()) {
      close(body);
      throw tooLarge(declared);
    }
    // The request timeout covers the headers only: a slow body is cut at the deadline.
    var watchdog =
        DEADLINES.schedule(
            () -> close(body), Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try (body) {
      return readCapped(body);
    } catch (IOException e) {
      if (System.nanoTime() - deadline >= 0 || e instanceof InterruptedIOException) {
        throw timeout(first);
      }
      throw new ImageHostUnavailableException(
          "The image download from " + safe(first) + " broke off: " + e,
          Map.of("uri", safe(first)),
          e);
    } finally {
      watchdog.cancel(false);
    }
  }

  private byte[] readCapped(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > config.maxImageBytes()) {
        throw tooLarge(total);
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private ImageTooLargeException tooLarge(long size) {
    return new ImageTooLargeException(
        "The image is larger than the "
            + config.maxImageBytes()
            + "-byte cap (GRADER_MAX_IMAGE_BYTES); send a smaller photo",
        Map.of("bytes", size, "maxBytes", config.maxImageBytes()));
  }

  private ImageFetchTimeoutException timeout(URI uri) {
    return new ImageFetchTimeoutException(
        "The image host did not deliver "
            + safe(uri)
            + " within "
            + config.fetchTimeout().toMillis()
            + " ms; a retry may succeed",
        Map.of("uri", safe(uri), "timeoutMs", config.fetchTimeout().toMillis()));
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing to do: the stream is abandoned either way.
    }
  }
}
