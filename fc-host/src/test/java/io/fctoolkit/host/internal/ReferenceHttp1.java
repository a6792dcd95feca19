package io.fctoolkit.host.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second, deliberately plain reading of RFC 9112 (regular expressions over the whole input
 * instead of the server's byte-at-a-time state machine) that says what the host must do with a
 * connection's bytes. The fuzz test holds the server to it. It models the documented limits (200
 * header lines, 4 KiB chunk lines, 15 significant hex digits, up to 4 empty lines before a request)
 * and the host's choices (bare LF refused, a single Host, exactly {@code chunked}).
 */
final class ReferenceHttp1 {
  private static final String TCHAR = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]";
  private static final Pattern REQUEST_LINE =
      Pattern.compile("(" + TCHAR + "+) ([\\x21-\\x7e\\x80-\\xff]+) (HTTP/1\\.[01])");
  private static final Pattern ANY_VERSION = Pattern.compile("(?s).* HTTP/[0-9]\\.[0-9]");
  private static final Pattern FIELD_LINE =
      Pattern.compile("(" + TCHAR + "+):([\\t\\x20-\\x7e\\x80-\\xff]*)");
  private static final Pattern FIELD_CHARS = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");
  // A chunk-size line is its size and then extensions, matched one at a time from where the last
  // ended (\\G) and quoted strings scanned by hand: one regular expression for the whole line
  // recurses once per repetition in java.util.regex and overflowed the stack on long lines.
  private static final Pattern CHUNK_SIZE = Pattern.compile("[0-9A-Fa-f]++");
  private static final Pattern CHUNK_EXT =
      Pattern.compile(
          "\\G[ \\t]*+;[ \\t]*+" + TCHAR + "++(?:[ \\t]*+=[ \\t]*+(?:" + TCHAR + "++|(\")))?");
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final long MAX_BODY = HostConfig.DEFAULT_MAX_BODY_BYTES;

  /** What the server does with one request on the connection. */
  sealed interface Outcome permits Served, Rejected, Truncated {}

  /**
   * A well-formed request: answered 200 by the function (or by a host endpoint under /_fc/). {@code
   * target} is the origin-form path and query the function sees.
   */
  record Served(String method, String target, String body, boolean control) implements Outcome {
    boolean head() {
      return method.equals("HEAD");
    }
  }

  /**
   * A malformed request: a 4xx (or 505 when {@code unsupportedVersionPossible}) and the connection
   * closes.
   */
  record Rejected(String why, boolean unsupportedVersionPossible) implements Outcome {}

  /**
   * The input ends inside a request: nothing to answer, or a 4xx. The function is not called,
   * except for a body over the host's 1 MiB read-ahead, which streams to the function: then {@code
   * calledAs} is its {@code METHOD target} (it gets the error while reading).
   */
  record Truncated(String calledAs) implements Outcome {}

  private final byte[] in;
  private int pos;

  private ReferenceHttp1(byte[] in) {
    this.in = in;
  }

  /** The outcomes, in order, of the requests in {@code input} (a connection's whole input). */
  static List<Outcome> read(byte[] input) {
    return new ReferenceHttp1(input).all();
  }

  private List<Outcome> all() {
    List<Outcome> outcomes = new ArrayList<>();
    while (pos < in.length) {
      try {
        Outcome outcome = request();
        outcomes.add(outcome);
        if (!(outcome instanceof Served) || closeAfter) {
          break;
        }
      } catch (Cut e) {
        outcomes.add(new Truncated(e.calledAs));
        break;
      } catch (Bad e) {
        outcomes.add(new Rejected(e.getMessage(), e.versionPossible));
        break;
      }
    }
    return outcomes;
  }

  private static final class Cut extends Exception {
    private static final long serialVersionUID = 1L;
    final String calledAs;

    Cut() {
      this(null);
    }

    Cut(String calledAs) {
      this.calledAs = calledAs;
    }
  }

  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean versionPossible;

    Bad(String why) {
      this(why, false);
    }

    Bad(String why, boolean versionPossible) {
      super(why);
      this.versionPossible = versionPossible;
    }
  }

  private boolean closeAfter;

  /** The next CRLF line, or Cut at the end of input; bare CR or LF, or too long, is Bad. */
  private String line(int max) throws Cut, Bad {
    int lf = -1;
    for (int i = pos; i < in.length; i++) {
      if (in[i] == '\n') {
        lf = i;
        break;
      }
    }
    int end = lf < 0 ? in.length : lf;
    for (int i = pos; i < end; i++) {
      if (in[i] == '\r' && i + 1 < end) {
        throw new Bad("bare CR");
      }
      if (i - pos >= max && in[i] != '\r') {
        throw new Bad("line too long");
      }
    }
    if (lf < 0) {
      throw new Cut();
    }
    if (lf == pos || in[lf - 1] != '\r') {
      throw new Bad("bare LF");
    }
    String line = new String(in, pos, lf - 1 - pos, StandardCharsets.ISO_8859_1);
    pos = lf + 1;
    return line;
  }

  private Outcome request() throws Cut, Bad {
    String requestLine = line(16 * 1024);
    for (int empty = 1; requestLine.isEmpty(); empty++) {
      if (empty > 4) {
        throw new Bad("more than 4 empty lines");
      }
      requestLine = line(16 * 1024);
    }
    Matcher m = REQUEST_LINE.matcher(requestLine);
    if (!m.matches()) {
      throw new Bad("request line", ANY_VERSION.matcher(requestLine).matches());
    }
    String method = m.group(1);
    String target = m.group(2);
    boolean http11 = m.group(3).equals("HTTP/1.1");
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/") && !target.equals("*")) {
      throw new Bad("target");
    }
    List<String[]> fields = new ArrayList<>();
    int bytes = 0;
    while (true) {
      String line = line(16 * 1024);
      if (line.isEmpty()) {
        break;
      }
      bytes += line.length();
      Matcher f = FIELD_LINE.matcher(line);
      if (!f.matches()) {
        throw new Bad("field line");
      }
      fields.add(
          new String[] {
            f.group(1).toLowerCase(Locale.ROOT), f.group(2).replaceAll("^[ \\t]+|[ \\t]+$", "")
          });
      if (fields.size() > 200 || bytes > 64 * 1024) {
        throw new Bad("too many fields");
      }
    }
    List<String> hosts = values(fields, "host");
    List<String> te = values(fields, "transfer-encoding");
    List<String> cl = values(fields, "content-length");
    if (hosts.size() > 1) {
      throw new Bad("two Host fields");
    }
    List<String> connection = values(fields, "connection");
    String c = connection.isEmpty() ? "" : connection.get(0).toLowerCase(Locale.ROOT);
    closeAfter = c.contains("close") || (!c.contains("keep-alive") && !http11);
    boolean control =
        (target.indexOf('?') < 0 ? target : target.substring(0, target.indexOf('?')))
            .startsWith("/_fc/");
    String body;
    if (!te.isEmpty()) {
      if (!cl.isEmpty() || !http11) {
        throw new Bad("TE with CL or in HTTP/1.0");
      }
      List<String> codings = new ArrayList<>();
      for (String value : te) {
        for (String element : value.split(",", -1)) {
          String coding = element.replaceAll("^[ \\t]+|[ \\t]+$", "");
          if (!coding.isEmpty()) {
            if (!coding.matches(TCHAR + "+")) {
              throw new Bad("TE not tokens");
            }
            codings.add(coding);
          }
        }
      }
      if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
        throw new Bad("TE not exactly chunked");
      }
      // A host endpoint answers before the (unknown-length) body and then closes.
      if (control) {
        closeAfter = true;
        return new Served(method, target, "", true);
      }
      body = chunked();
    } else if (!cl.isEmpty()) {
      for (String value : cl) {
        if (!DIGITS.matcher(value).matches() || !value.equals(cl.get(0))) {
          throw new Bad("Content-Length");
        }
      }
      String digits = cl.get(0).replaceFirst("^0+(?=.)", "");
      if (digits.length() > 18 || Long.parseLong(digits) > MAX_BODY) {
        throw new Bad("too large");
      }
      int length = Integer.parseInt(digits);
      List<String> expect = values(fields, "expect");
      if (control
          && length > 0
          && http11
          && !expect.isEmpty()
          && expect.get(0).equalsIgnoreCase("100-continue")) {
        // A host endpoint answers without asking for the body (no 100 Continue), so the client
        // may not send it: the connection closes after the answer (RFC 9110 10.1.1).
        closeAfter = true;
        return new Served(method, target, "", true);
      }
      if (in.length - pos < length) {
        if (control) {
          closeAfter = true;
          return new Served(method, target, "", true); // answered, then the drain finds the cut
        }
        throw new Cut(length > Http1Exchange.READ_AHEAD ? method + " " + target : null);
      }
      body = new String(in, pos, length, StandardCharsets.ISO_8859_1);
      pos += length;
    } else {
      body = "";
    }
    return new Served(method, target, control ? "" : body, control);
  }

  private String chunked() throws Cut, Bad {
    StringBuilder body = new StringBuilder();
    while (true) {
      String line = line(4096);
      if (!FIELD_CHARS.matcher(line).matches()) {
        throw new Bad("control in chunk line");
      }
      Matcher digits = CHUNK_SIZE.matcher(line);
      if (!digits.lookingAt() || !extensions(line, digits.end())) {
        throw new Bad("chunk line");
      }
      String hex = digits.group().replaceFirst("^0+(?=.)", "");
      if (hex.length() > 15) {
        throw new Bad("chunk size overflows");
      }
      long size = Long.parseLong(hex, 16);
      if (body.length() + size > MAX_BODY) {
        throw new Bad("too large");
      }
      if (size == 0) {
        int bytes = 0;
        for (int lines = 0; ; lines++) {
          String trailer = line(4096);
          if (trailer.isEmpty()) {
            return body.toString();
          }
          bytes += trailer.length();
          if (lines >= 200 || bytes > 64 * 1024 || !FIELD_LINE.matcher(trailer).matches()) {
            throw new Bad("trailer");
          }
        }
      }
      if (in.length - pos < size + 2) {
        throw new Cut();
      }
      body.append(new String(in, pos, (int) size, StandardCharsets.ISO_8859_1));
      pos += (int) size;
      if (in[pos] != '\r' || in[pos + 1] != '\n') {
        throw new Bad("no CRLF after chunk");
      }
      pos += 2;
    }
  }

  private static boolean extensions(String line, int from) {
    Matcher ext = CHUNK_EXT.matcher(line);
    int at = from;
    while (at < line.length()) {
      ext.region(at, line.length());
      if (!ext.lookingAt()) {
        return false;
      }
      at = ext.end();
      if (ext.group(1) != null) { // an opening quote: the value runs to the next unescaped one
        while (at < line.length() && line.charAt(at) != '"') {
          at += line.charAt(at) == '\\' ? 2 : 1;
        }
        if (at >= line.length()) {
          return false;
        }
        at++;
      }
    }
    return true;
  }

  private static List<String> values(List<String[]> fields, String name) {
    List<String> values = new ArrayList<>();
    for (String[] f : fields) {
      if (f[0].equals(name)) {
        values.add(f[1]);
      }
    }
    return values;
  }
}
