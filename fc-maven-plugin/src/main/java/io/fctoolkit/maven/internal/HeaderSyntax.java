package io.fctoolkit.maven.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one syntax for headers given on the command line or in the pom ({@code fc.headers} of {@code
 * fc:invoke} and {@code fc:send}): {@code Name: value} entries separated by commas, as in {@code
 * -Dfc.headers="x-trace: 42, accept: text/plain"}. A comma inside a value is written {@code \,}, a
 * backslash {@code \\}. Names are HTTP tokens (RFC 9110), so that every header can travel over
 * HTTP/1.1 (a Kafka header becomes an HTTP header when a trigger delivers its record).
 */
public final class HeaderSyntax {

  private HeaderSyntax() {}

  /**
   * The entries in order (a name may repeat), names as written.
   *
   * @param parameter the parameter the text came from, for errors (e.g. {@code headers})
   */
  public static List<Map.Entry<String, String>> parse(String parameter, String text) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return headers;
    }
    for (String entry : split(parameter, text)) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw Hints.invalidRequest(
            parameter,
            entry.trim(),
            "a header is written 'Name: value' (entries separated by ',')");
      }
      String name = blanksOff(entry.substring(0, colon));
      String value = blanksOff(entry.substring(colon + 1));
      checkName(parameter, name);
      checkValue(parameter, name, value);
      headers.add(Map.entry(name, value));
    }
    return headers;
  }

  /**
   * Spaces and tabs off both ends; not {@link String#trim}, which would hide control characters.
   */
  private static String blanksOff(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Splits on unescaped commas and resolves the escapes. */
  private static List<String> split(String parameter, String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 < text.length() && (text.charAt(i + 1) == ',' || text.charAt(i + 1) == '\\')) {
          current.append(text.charAt(++i));
        } else {
          throw Hints.invalidRequest(
              parameter,
              text,
              "'\\' at index " + i + " escapes nothing: write '\\,' for a comma, '\\\\' for '\\'");
        }
      } else if (c == ',') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return parts;
  }

  static void checkName(String parameter, String name) {
    if (name.isEmpty()) {
      throw Hints.invalidRequest(parameter, name, "a header needs a name before ':'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean token =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        throw Hints.invalidRequest(
            parameter,
            name,
            "a header name is letters, digits and !#$%&'*+-.^_`|~ only (RFC 9110 token); '"
                + c
                + "' at index "
                + i
                + " is not");
      }
    }
  }

  private static void checkValue(String parameter, String name, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        throw Hints.invalidRequest(
            parameter,
            name + ": " + value,
            String.format(
                "character 0x%02x at index %d cannot travel in an HTTP/1.1 header value",
                (int) c, i));
      }
    }
  }
}
