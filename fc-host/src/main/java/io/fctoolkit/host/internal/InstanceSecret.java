package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The per-instance secret of {@code FC_AUTH=stdin}: the runtime writes it as the first line of the
 * host's standard input, and every request must then carry it in {@link #HEADER}. Only processes
 * that know it reach the function, even though the instance port is open to every local user. Never
 * logged: {@link #toString()} masks it and errors never quote the line.
 */
final class InstanceSecret {
  /** The request header that carries the secret; removed before the function sees the request. */
  static final String HEADER = "x-fc-instance-secret";

  static final int MIN_LENGTH = 32;
  static final int MAX_LENGTH = 128;

  private final byte[] value;

  private InstanceSecret(byte[] value) {
    this.value = value;
  }

  /**
   * Reads one line (LF or CRLF, or ended by end of input) of 32-128 characters [A-Za-z0-9_-].
   * Throws {@link HostConfigException} naming {@code FC_AUTH} otherwise, without quoting the line.
   */
  static InstanceSecret read(InputStream stdin) {
    byte[] line = new byte[MAX_LENGTH + 2];
    int length = 0;
    boolean sawNewline = false;
    try {
      while (true) {
        int c = stdin.read();
        if (c < 0) {
          break;
        }
        if (c == '\n') {
          sawNewline = true;
          break;
        }
        if (length == line.length) {
          throw invalid("a line of at most " + MAX_LENGTH + " characters");
        }
        line[length++] = (byte) c;
      }
    } catch (IOException e) {
      throw invalid("a readable standard input, not " + e.getClass().getSimpleName());
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid(
          length == 0 && !sawNewline
              ? "a line, but standard input ended first"
              : "a line of " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, not " + length);
    }
    for (int i = 0; i < length; i++) {
      int c = line[i];
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        throw invalid("only those characters, but character " + (i + 1) + " is not one");
      }
    }
    byte[] value = new byte[length];
    System.arraycopy(line, 0, value, 0, length);
    return new InstanceSecret(value);
  }

  private static HostConfigException invalid(String what) {
    // Never quotes the line: it may be a secret with one character wrong.
    return new HostConfigException(
        "FC_AUTH",
        "FC_AUTH=stdin: the first line of standard input must be the instance secret ("
            + MIN_LENGTH
            + " to "
            + MAX_LENGTH
            + " characters of A-Z, a-z, 0-9, '_' and '-'), written by the runtime that starts"
            + " the host; expected "
            + what
            + ". Unset FC_AUTH to run without a secret");
  }

  /** Whether {@code header} (the request's only {@link #HEADER} value) is the secret. */
  boolean matches(String header) {
    if (header == null) {
      return false;
    }
    // Constant time in the content, so response timing does not reveal a matching prefix.
    return MessageDigest.isEqual(value, header.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public String toString() {
    return "****";
  }
}
