package io.fctoolkit.core.gitops.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.SmokeRequest;
import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one pre-traffic smoke fixture ({@code functions/<function>/smoke/<name>.json}) into a
 * {@link SmokeRequest}, reporting every mistake at its line and column. JSON, not YAML: a fixture
 * is a request body first, and JSON is what request bodies are written in.
 */
public final class SmokeFixtureReader {

  static final List<String> FIELDS = List.of("method", "path", "headers", "body", "expectStatus");
  static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  /** A fixture is a request, not a data set: larger files are refused rather than sent. */
  static final int MAX_CHARS = 1_000_000;

  // Credentials never go into Git: a smoke invocation reaches the version from inside the
  // platform, which needs none.
  private static final List<String> CREDENTIAL_HEADERS =
      List.of("authorization", "proxy-authorization", "cookie");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  private static final Pattern PATH = Pattern.compile("/[^\\s]*");
  // Duplicate keys are found by the reader itself, so the error points at the second key's start.
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private SmokeFixtureReader() {}

  /**
   * The fixture in {@code text}, or empty after reporting each problem to {@code problems} (whose
   * file name also names the request, so a failed smoke invocation names its fixture).
   */
  public static Optional<SmokeRequest> read(String text, Problems problems) {
    if (text.length() > MAX_CHARS) {
      problems.file(
          "the fixture has " + text.length() + " characters, more than " + MAX_CHARS,
          "keep a smoke fixture to one small request");
      return Optional.empty();
    }
    int before = problems.count();
    String method = "POST";
    String path = "/";
    Map<String, String> headers = new LinkedHashMap<>();
    String body = "";
    int expectStatus = 200;
    try (JsonParser parser = JSON.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        at(
            problems,
            parser.currentTokenLocation(),
            "",
            first == null
                ? "the fixture is empty"
                : "expected a JSON object, got " + first.asString(),
            "write {\"path\": \"/\", \"body\": {...}, \"expectStatus\": 200}");
        return Optional.empty();
      }
      Set<String> seen = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonLocation where = parser.currentTokenLocation();
        JsonToken value = parser.nextToken();
        if (!seen.add(field)) {
          duplicate(problems, where, field);
          parser.skipChildren();
          continue;
        }
        switch (field) {
          case "method" -> {
            String m = string(parser, problems, field, "GET or POST");
            if (m != null && !METHODS.contains(m)) {
              at(
                  problems,
                  parser.currentTokenLocation(),
                  field,
                  "unknown HTTP method '"
                      + m
                      + "'"
                      + Suggest.didYouMean(m.toUpperCase(Locale.ROOT), METHODS),
                  "use one of " + String.join(", ", METHODS) + " (upper case)");
            } else if (m != null) {
              method = m;
            }
          }
          case "path" -> {
            String p = string(parser, problems, field, "\"/\" or \"/grade?dry-run=true\"");
            if (p != null && !PATH.matcher(p).matches()) {
              at(
                  problems,
                  parser.currentTokenLocation(),
                  field,
                  "path '" + p + "' must start with '/' and hold no spaces",
                  "write the path of the request, e.g. \"/\" or \"/grade?dry-run=true\"");
            } else if (p != null) {
              path = p;
            }
          }
          case "headers" -> headers(parser, problems, headers);
          case "body" ->
              body =
                  value == JsonToken.VALUE_STRING
                      ? parser.getText()
                      : value == JsonToken.VALUE_NULL
                          ? ""
                          : MAPPER.writeValueAsString(MAPPER.readTree(parser));
          case "expectStatus" -> {
            JsonLocation at = parser.currentTokenLocation();
            if (value != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() != JsonParser.NumberType.INT
                || parser.getIntValue() < 100
                || parser.getIntValue() > 599) {
              at(
                  problems,
                  at,
                  field,
                  "expectStatus must be an HTTP status from 100 to 599, got " + parser.getText(),
                  "write the status the new version must answer, e.g. 200");
              parser.skipChildren();
            } else {
              expectStatus = parser.getIntValue();
            }
          }
          default -> {
            at(
                problems,
                where,
                field,
                "unknown field '" + field + "'" + Suggest.didYouMean(field, FIELDS),
                "allowed here: " + String.join(", ", FIELDS));
            parser.skipChildren();
          }
        }
      }
      if (parser.nextToken() != null) {
        at(
            problems,
            parser.currentTokenLocation(),
            "",
            "more than one JSON value in the fixture",
            "keep one request per file");
      }
    } catch (JsonProcessingException e) {
      at(
          problems,
          e.getLocation(),
          "",
          "invalid JSON: " + e.getOriginalMessage(),
          "check the quoting and commas at this position");
    } catch (IOException e) {
      problems.file("cannot read the fixture: " + e.getMessage(), "check the file");
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new SmokeRequest(problems.file(), method, path, headers, body, expectStatus));
  }

  private static String string(JsonParser parser, Problems problems, String field, String example)
      throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    at(
        problems,
        parser.currentTokenLocation(),
        field,
        field + " must be a string, got " + describe(parser),
        "write e.g. " + example);
    parser.skipChildren();
    return null;
  }

  private static void headers(JsonParser parser, Problems problems, Map<String, String> headers)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      at(
          problems,
          parser.currentTokenLocation(),
          "headers",
          "headers must be an object of names and string values, got " + describe(parser),
          "write e.g. {\"content-type\": \"application/json\"}");
      parser.skipChildren();
      return;
    }
    Set<String> seen = new HashSet<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonLocation where = parser.currentTokenLocation();
      String path = "headers." + name;
      parser.nextToken();
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        duplicate(problems, where, path);
      } else if (!HEADER_NAME.matcher(name).matches()) {
        at(
            problems,
            where,
            path,
            "'" + name + "' is not an HTTP header name",
            "use letters, digits and '-'");
      } else if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        at(
            problems,
            where,
            path,
            "header '" + name + "' carries a credential, which does not belong in Git",
            "remove it: the platform sends smoke invocations to the version from inside, without"
                + " authentication");
      } else if (parser.currentToken() != JsonToken.VALUE_STRING) {
        at(
            problems,
            parser.currentTokenLocation(),
            path,
            "a header value must be a string, got " + describe(parser),
            "quote it, e.g. \"" + name + "\": \"1\"");
      } else {
        headers.put(name, parser.getText());
        continue;
      }
      parser.skipChildren();
    }
  }

  /** Plain JSON keeps the last of two equal keys silently; here it is a mistake, as in YAML. */
  private static void duplicate(Problems problems, JsonLocation where, String path) {
    at(
        problems,
        where,
        path,
        "duplicate key '" + path.substring(path.lastIndexOf('.') + 1) + "'",
        "keep one of the two");
  }

  private static String describe(JsonParser parser) {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_NULL -> "null";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static void at(
      Problems problems, JsonLocation location, String path, String message, String hint) {
    if (location == null || location.getLineNr() < 1) {
      problems.at(0, 0, path, message, hint);
    } else {
      problems.at(location.getLineNr(), location.getColumnNr(), path, message, hint);
    }
  }
}
