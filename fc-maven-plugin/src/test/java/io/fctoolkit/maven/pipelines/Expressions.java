package io.fctoolkit.maven.pipelines;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of GitHub Actions' expression language the workflows in pipelines/ use, evaluated the
 * way the runner does: context paths ({@code github.event.pull_request.number}, {@code secrets.X},
 * {@code matrix.env}; case-insensitive, missing is null), string literals, {@code ||}, {@code &&},
 * {@code ==}, {@code !=}, {@code !}, and the functions {@code format}, {@code fromJSON}, {@code
 * always}, {@code cancelled}, {@code success}, {@code failure}. Anything else is an error, so a
 * workflow that starts using more fails its test instead of being misread.
 */
final class Expressions {

  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{\\{(.*?)}}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Object> contexts;
  private final boolean jobFailed;

  /**
   * @param contexts top-level contexts by name (github, inputs, secrets, vars, matrix, needs,
   *     steps, runner, env), nested maps and lists
   * @param jobFailed whether a previous step of the job failed (for success() and failure())
   */
  Expressions(Map<String, Object> contexts, boolean jobFailed) {
    this.contexts = contexts;
    this.jobFailed = jobFailed;
  }

  /** A value with {@code ${{ }}} templates replaced by their results as text. */
  String interpolate(String text) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(text(evaluate(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * A value that may be a whole template ({@code ${{ fromJSON(...) }}} gives a list), else the
   * interpolated text.
   */
  Object value(String text) {
    Matcher m = TEMPLATE.matcher(text.trim());
    if (m.matches()) {
      return evaluate(m.group(1));
    }
    return interpolate(text);
  }

  /** An {@code if:} condition, with or without {@code ${{ }}}; a bare one implies success(). */
  boolean condition(String text) {
    String expression = text.trim();
    Matcher m = TEMPLATE.matcher(expression);
    if (m.matches()) {
      expression = m.group(1).trim();
    }
    boolean statusChecked = expression.matches(".*\\b(always|cancelled|success|failure)\\(\\).*");
    boolean result = truthy(evaluate(expression));
    return statusChecked ? result : result && !jobFailed;
  }

  /** Evaluates one expression. */
  Object evaluate(String expression) {
    Parser parser = new Parser(expression);
    Object value = parser.or();
    parser.skipSpaces();
    if (!parser.atEnd()) {
      throw new IllegalArgumentException(
          "unsupported expression (at " + parser.pos + "): " + expression);
    }
    return value;
  }

  static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return true;
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Map || value instanceof List) {
      try {
        return JSON.writeValueAsString(value);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return String.valueOf(value);
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) {
      return x.equalsIgnoreCase(y); // GitHub compares strings ignoring case
    }
    return text(a).equals(text(b));
  }

  private final class Parser {
    final String in;
    int pos;

    Parser(String in) {
      this.in = in;
    }

    boolean atEnd() {
      return pos >= in.length();
    }

    void skipSpaces() {
      while (!atEnd() && Character.isWhitespace(in.charAt(pos))) {
        pos++;
      }
    }

    boolean eat(String token) {
      skipSpaces();
      if (in.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    Object or() {
      Object left = and();
      while (eat("||")) {
        Object right = and();
        left = truthy(left) ? left : right;
      }
      return left;
    }

    Object and() {
      Object left = comparison();
      while (eat("&&")) {
        Object right = comparison();
        left = truthy(left) ? right : left;
      }
      return left;
    }

    Object comparison() {
      Object left = unary();
      if (eat("==")) {
        return same(left, unary());
      }
      if (eat("!=")) {
        return !same(left, unary());
      }
      return left;
    }

    Object unary() {
      if (eat("!")) {
        return !truthy(unary());
      }
      return primary();
    }

    Object primary() {
      skipSpaces();
      if (eat("(")) {
        Object inner = or();
        expect(")");
        return inner;
      }
      if (eat("'")) {
        StringBuilder s = new StringBuilder();
        while (true) {
          if (atEnd()) {
            throw new IllegalArgumentException("unterminated string in " + in);
          }
          char c = in.charAt(pos++);
          if (c == '\'') {
            if (!atEnd() && in.charAt(pos) == '\'') {
              s.append('\'');
              pos++;
              continue;
            }
            return s.toString();
          }
          s.append(c);
        }
      }
      int start = pos;
      while (!atEnd()
          && (Character.isLetterOrDigit(in.charAt(pos)) || "._-".indexOf(in.charAt(pos)) >= 0)) {
        pos++;
      }
      String word = in.substring(start, pos);
      if (word.isEmpty()) {
        throw new IllegalArgumentException("unsupported expression (at " + pos + "): " + in);
      }
      if (word.equals("true") || word.equals("false")) {
        return Boolean.parseBoolean(word);
      }
      if (eat("(")) {
        List<Object> args = new ArrayList<>();
        if (!eat(")")) {
          do {
            args.add(or());
          } while (eat(","));
          expect(")");
        }
        return call(word, args);
      }
      return path(word);
    }

    void expect(String token) {
      if (!eat(token)) {
        throw new IllegalArgumentException("expected '" + token + "' at " + pos + " in " + in);
      }
    }

    Object call(String function, List<Object> args) {
      switch (function.toLowerCase(Locale.ROOT)) {
        case "always":
          return true;
        case "cancelled":
          return false;
        case "success":
          return !jobFailed;
        case "failure":
          return jobFailed;
        case "fromjson":
          try {
            return JSON.readValue(text(args.get(0)), Object.class);
          } catch (Exception e) {
            throw new IllegalArgumentException("fromJSON of invalid JSON: " + args.get(0), e);
          }
        case "format":
          String format = text(args.get(0));
          for (int i = 1; i < args.size(); i++) {
            format = format.replace("{" + (i - 1) + "}", text(args.get(i)));
          }
          return format;
        default:
          throw new IllegalArgumentException("unsupported function " + function + " in " + in);
      }
    }

    @SuppressWarnings("unchecked")
    Object path(String dotted) {
      Object current = contexts;
      for (String part : dotted.split("\\.")) {
        if (!(current instanceof Map<?, ?> map)) {
          return null;
        }
        Object next = null;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
          if (e.getKey().equalsIgnoreCase(part)) {
            next = e.getValue();
          }
        }
        current = next;
      }
      return current;
    }
  }
}
