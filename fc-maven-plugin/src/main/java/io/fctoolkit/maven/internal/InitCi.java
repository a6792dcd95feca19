package io.fctoolkit.maven.internal;

import java.util.Locale;

/** The CI system {@code fc:init} writes pipelines for ({@code -Dfc.init.ci}). */
public enum InitCi {
  GITHUB,
  JENKINS,
  NONE;

  /** {@code github} (also when unset), {@code jenkins} or {@code none}. */
  public static InitCi parse(String text) {
    if (text == null || text.isBlank()) {
      return GITHUB;
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("init.ci", text, "expected github, jenkins or none");
    }
  }

  /** As the user writes it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
