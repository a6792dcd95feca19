package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The Git-side name of a version's content: an id and the image pinned by digest. Git names
 * releases; each platform maps them to its own version numbers. Build once, promote the same
 * digest.
 *
 * @param id a short name such as {@code 2026-11-22.1} or {@code g3f9a1c2}
 * @param image the image, by digest outside the {@code local} environment
 */
public record Release(String id, ImageRef image) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public Release {
    requireNonNull(id, "id");
    requireNonNull(image, "image");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "release id must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit, was '"
              + id
              + "'");
    }
  }
}
