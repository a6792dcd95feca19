package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * The strict grammar of RFC 9112 the server reads requests with: lines, tokens, field lines,
 * Content-Length, transfer codings and chunk lines. Strict because fc-host sits behind proxies (the
 * local router, Knative's queue-proxy, an ingress): where two parsers disagree on where a request
 * ends, a request can be smuggled past the first one. Everything not in the grammar is refused.
 *
 * <p>No regular expressions: the token table is two constants and costs nothing at start-up.
 */
final class Http1Syntax {
  // Bit i of LO (0-63) or HI (64-127) is set when character i is a tchar (RFC 9110 5.6.2):
  // "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
  private static final long TCHAR_LO = tcharMask(0);
  private static final long TCHAR_HI = tcharMask(64);

  private Http1Syntax() {}

  /** Thrown when the input breaks the grammar; carries the status to answer. */
  static final class Violation extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Violation(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** The connection ended inside a line, after {@code read} bytes of it. */
  static final class Truncated extends IOException {
    private static final long serialVersionUID = 1L;

    Truncated(String message) {
      super(message);
    }
  }

  private static long tcharMask(int base) {
    String special = "!#$%&'*+-.^_`|~";
    long mask = 0;
    for (int c = base; c < base + 64; c++) {
      boolean t =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || special.indexOf(c) >= 0;
      if (t) {
        mask |= 1L << (c - base);
      }
    }
    return mask;
  }

  static boolean isTchar(char c) {
    if (c < 64) {
      return (TCHAR_LO & (1L << c)) != 0;
    }
    return c < 128 && (TCHAR_HI & (1L << (c - 64))) != 0;
  }

  /** Whether {@code s[from, to)} is a non-empty token. */
  static boolean isToken(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A field-value character: HTAB, SP, VCHAR or obs-text; every other control is refused. */
  static boolean isFieldChar(char c) {
    return c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff);
  }

  /**
   * Reads a line that ends in CRLF, as ISO-8859-1 without the CRLF. Returns null at the end of
   * input before the first byte; a bare CR or a bare LF is a 400 (RFC 9112 2.2 allows refusing
   * both, and a parser in front that reads them differently is how requests get smuggled).
   */
  static String readLine(InputStream in, int maxLength, int tooLongStatus, String what)
      throws IOException, Violation {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (sb.length() == 0) {
          return null;
        }
        throw new Truncated("The connection closed inside " + what);
      }
      if (c == '\r') {
        int next = in.read();
        if (next == '\n') {
          return sb.toString();
        }
        if (next < 0) {
          throw new Truncated("The connection closed inside " + what);
        }
        throw new Violation(400, "A bare CR (not followed by LF) in " + what);
      }
      if (c == '\n') {
        throw new Violation(400, "A bare LF (not preceded by CR) ends " + what);
      }
      if (sb.length() >= maxLength) {
        throw new Violation(tooLongStatus, what + " is longer than " + maxLength + " bytes");
      }
      sb.append((char) c);
    }
  }

  /**
   * Checks a field line ({@code name ":" OWS value OWS}) and returns the index of its colon. {@code
   * where} says "header" or "trailer" in the messages.
   */
  static int checkFieldLine(String line, String where) throws Violation {
    char first = line.charAt(0);
    if (first == ' ' || first == '\t') {
      throw new Violation(400, "Obsolete line folding (a " + where + " line starting with space)");
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new Violation(400, "A " + where + " line without a name and ':'");
    }
    if (!isToken(line, 0, colon)) {
      throw new Violation(
          400,
          "A "
              + where
              + " name is not a token (no spaces, controls or separators such as '(' before ':')");
    }
    for (int i = colon + 1; i < line.length(); i++) {
      if (!isFieldChar(line.charAt(i))) {
        throw new Violation(
            400,
            "A control character (0x"
                + Integer.toHexString(line.charAt(i))
                + ") in the value of "
                + where
                + " "
                + line.substring(0, colon));
      }
    }
    return colon;
  }

  /** The value after the colon without leading and trailing SP/HTAB (not String.trim: no VT). */
  static String fieldValue(String line, int colon) {
    int from = colon + 1;
    int to = line.length();
    while (from < to && isOws(line.charAt(from))) {
      from++;
    }
    while (to > from && isOws(line.charAt(to - 1))) {
      to--;
    }
    return line.substring(from, to);
  }

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /**
   * Content-Length as RFC 9112 6.3 reads it: 1*DIGIT, no sign, no list. Returns {@code limit + 1}
   * for any value over {@code limit}, also one too large for a long.
   */
  static long contentLength(String value, long limit) throws Violation {
    if (value.isEmpty()) {
      throw new Violation(400, "Invalid Content-Length '': expected digits only");
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw new Violation(
            400, "Invalid Content-Length '" + value + "': expected digits only (no sign or list)");
      }
      length = length * 10 + (c - '0');
      if (length > limit) {
        length = limit + 1; // keep scanning: a later non-digit is still a 400
      }
    }
    return length;
  }

  /**
   * Parses a chunk-size line ({@code 1*HEXDIG [chunk-ext]}) and returns the size; a size that does
   * not fit in 60 bits is refused as overflowing.
   */
  static long chunkSize(String line) throws Violation {
    long size = 0;
    int significant = 0;
    int i = 0;
    for (int k = 0; k < line.length(); k++) {
      if (!isFieldChar(line.charAt(k))) {
        throw new Violation(400, "A control character in a chunk size line");
      }
    }
    for (; i < line.length(); i++) {
      int digit = hex(line.charAt(i));
      if (digit < 0) {
        break;
      }
      if (size != 0 || digit != 0) {
        significant++;
      }
      if (significant > 15) {
        throw new Violation(400, "A chunk size with more than 15 significant hex digits");
      }
      size = size * 16 + digit;
    }
    if (i == 0) {
      throw new Violation(400, "A chunk size that is not hexadecimal digits (no sign or 0x)");
    }
    checkChunkExtensions(line, i);
    return size;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token / quoted-string
  private static void checkChunkExtensions(String line, int at) throws Violation {
    int i = at;
    int n = line.length();
    while (i < n) {
      i = skipOws(line, i);
      if (i >= n || line.charAt(i) != ';') {
        throw new Violation(400, "Malformed chunk size line: expected ';' after the size");
      }
      i = skipOws(line, i + 1);
      int name = i;
      while (i < n && isTchar(line.charAt(i))) {
        i++;
      }
      if (i == name) {
        throw new Violation(400, "Malformed chunk extension: its name is not a token");
      }
      int afterName = skipOws(line, i);
      if (afterName < n && line.charAt(afterName) == '=') {
        i = skipOws(line, afterName + 1);
        i = i < n && line.charAt(i) == '"' ? quotedString(line, i) : token(line, i);
      }
    }
  }

  private static int token(String line, int from) throws Violation {
    int i = from;
    while (i < line.length() && isTchar(line.charAt(i))) {
      i++;
    }
    if (i == from) {
      throw new Violation(400, "Malformed chunk extension: its value is not a token");
    }
    return i;
  }

  private static int quotedString(String line, int open) throws Violation {
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        i++; // quoted-pair; the character itself was checked as a field char by the caller
      }
    }
    throw new Violation(400, "Malformed chunk extension: unterminated quoted string");
  }

  private static int skipOws(String s, int i) {
    while (i < s.length() && isOws(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
