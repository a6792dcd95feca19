package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference: {@code repository[:tag][@sha256:digest]}.
 *
 * <p>Releases are pinned by digest; a tag alone is accepted only where the environment allows it
 * (the {@code local} environment during the inner loop).
 *
 * @param repository registry host and path, e.g. {@code 127.0.0.1:5000/grader}
 * @param tag the tag, or {@code null}
 * @param digest {@code sha256:<64 hex>}, or {@code null}
 */
public record ImageRef(String repository, String tag, String digest) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  public ImageRef {
    requireNonNull(repository, "repository");
    if (repository.isBlank() || repository.contains("@") || repository.contains(" ")) {
      throw new IllegalArgumentException("invalid image repository '" + repository + "'");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid image tag '" + tag + "'");
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException(
          "invalid image digest '" + digest + "': expected sha256: and 64 lower-case hex digits");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /** Parses {@code repository[:tag][@sha256:...]}. */
  public static ImageRef parse(String reference) {
    requireNonNull(reference, "reference");
    String rest = reference.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new ImageRef(rest, tag, digest);
  }

  public static ImageRef byDigest(String repository, String digest) {
    return new ImageRef(repository, null, requireNonNull(digest, "digest"));
  }

  public Optional<String> digestIfPinned() {
    return Optional.ofNullable(digest);
  }

  public boolean isPinned() {
    return digest != null;
  }

  /** The image pinned to its digest, dropping the tag: {@code repository@sha256:...}. */
  public ImageRef pinned() {
    if (digest == null) {
      throw new IllegalStateException("image " + this + " is not pinned by digest");
    }
    return new ImageRef(repository, null, digest);
  }

  @Override
  public String toString() {
    return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
