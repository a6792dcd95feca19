package io.fctoolkit.runtime.internal;

/** RFC 9110 tokens: what a method or a header name may be. */
final class HttpTokens {

  private HttpTokens() {}

  /** Whether {@code s} is a token: visible ASCII letters, digits and {@code !#$%&'*+-.^_`|~}. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
