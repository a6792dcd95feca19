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
    try {
      while (true) {
        int c = stdin.read();
        if (c < 0 || c == '\n') {
          break;
        }
        if (length == line.length) {
          throw invalid("a line of at most " + MAX_LENGTH + " characters");
        }
        line[length++] = (byte) c;
      }
    } catch (IOException e) {
      throw invalid("a readable standard input (" + e.getClass().getSimpleName() + ")");
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      throw invalid(
          "a first line of "
              + MIN_LENGTH
              + " to "
              + MAX_LENGTH
              + " characters, but it had "
              + length);
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
        throw invalid("a first line of only A-Z, a-z, 0-9, '_' and '-' (character " + i + ")");
      }
    }
    byte[] value = new byte[length];
    System.arraycopy(line, 0, value, 0, length);
    return new InstanceSecret(value);
  }

  private static HostConfigException invalid(String what) {
    return new HostConfigException(
        "FC_AUTH",
        "stdin",
        "stdin only when the runtime writes the instance secret to standard input; expected "
            + what);
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
