package io.fctoolkit.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of fc-toolkit, shared by the gitops files, the plugin's parameters and
 * the JSON Schemas: a whole number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 1h}), or ISO-8601 as {@link Duration#parse} reads it ({@code PT30S}, {@code PT1M30S}). Negative
 * durations are not durations here.
 */
public final class Durations {

  /** How the grammar is described to a person who wrote something else. */
  public static final String EXAMPLES = "500ms, 30s, 5m, 1h or ISO-8601 such as PT30S";

  private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  /**
   * The ISO-8601 subset the schemas allow: days, hours, minutes, seconds with up to nine decimals;
   * no signs, no commas, no lower case (all of which {@link Duration#parse} would also take).
   */
  private static final Pattern ISO =
      Pattern.compile(
          "P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]{1,9})?S)?)?");

  /** The same grammar as a JSON Schema pattern (kept equal to the schemas' {@code duration}). */
  public static final String SCHEMA_PATTERN =
      "^([0-9]{1,9}(ms|s|m|h)|"
          + "P(?!$)([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]{1,9})?S)?)?)$";

  private Durations() {}

  /** {@code text} as a duration, or empty when it is not one in this grammar. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return Optional.of(
          switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
          });
    }
    if (!ISO.matcher(trimmed).matches()) {
      return Optional.empty();
    }
    try {
      Duration parsed = Duration.parse(trimmed);
      return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
