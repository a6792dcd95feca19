package io.fctoolkit.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How a browser gets into the dashboard without the bearer token ever reaching it: a token holder
 * asks for a one-time code, the browser opens {@code /dashboard/login?code=...} once, and the code
 * is exchanged for a session id the browser keeps only as an HttpOnly, SameSite=Strict cookie. The
 * code is good for {@link #CODE_TTL} and one use, so the link left in the browser's history opens
 * nothing; the page then carries no secret in its address, and none leaks in a referrer.
 *
 * <p>Only SHA-256 digests of codes and session ids are kept, so neither can be read back from
 * memory dumps of this object; both are 32 random bytes.
 */
final class DashboardSessions {

  static final Duration CODE_TTL = Duration.ofMinutes(2);
  static final Duration SESSION_TTL = Duration.ofHours(12);
  static final int MAX_CODES = 32;
  static final int MAX_SESSIONS = 64;

  private final SecureRandom random = new SecureRandom();
  private final LongSupplier clockMs;
  private final Map<String, Long> codes = new LinkedHashMap<>();
  private final Map<String, Long> sessions = new LinkedHashMap<>();

  DashboardSessions(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** The cookie's name on a runtime listening on {@code port} (cookies do not tell ports apart). */
  static String cookieName(int port) {
    return "fc_dashboard_" + port;
  }

  /** A new one-time code; the oldest outstanding one is dropped past {@link #MAX_CODES}. */
  synchronized String newCode() {
    String code = randomId();
    expire(codes);
    if (codes.size() >= MAX_CODES) {
      Iterator<String> it = codes.keySet().iterator();
      it.next();
      it.remove();
    }
    codes.put(digest(code), clockMs.getAsLong() + CODE_TTL.toMillis());
    return code;
  }

  /** Uses up {@code code}: a new session id when it was outstanding and fresh, else empty. */
  synchronized Optional<String> exchange(String code) {
    if (code == null || code.isEmpty() || code.length() > 100) {
      return Optional.empty();
    }
    expire(codes);
    if (codes.remove(digest(code)) == null) {
      return Optional.empty();
    }
    String session = randomId();
    expire(sessions);
    if (sessions.size() >= MAX_SESSIONS) {
      Iterator<String> it = sessions.keySet().iterator();
      it.next();
      it.remove();
    }
    sessions.put(digest(session), clockMs.getAsLong() + SESSION_TTL.toMillis());
    return Optional.of(session);
  }

  /** Whether a {@code Cookie} header carries a live session for the runtime on {@code port}. */
  synchronized boolean valid(String cookieHeader, int port) {
    if (cookieHeader == null) {
      return false;
    }
    String name = cookieName(port) + "=";
    expire(sessions);
    for (String part : cookieHeader.split(";")) {
      String cookie = part.trim();
      if (cookie.startsWith(name)) {
        String id = cookie.substring(name.length());
        if (!id.isEmpty() && id.length() <= 100 && sessions.containsKey(digest(id))) {
          return true;
        }
      }
    }
    return false;
  }

  private void expire(Map<String, Long> entries) {
    long now = clockMs.getAsLong();
    entries.values().removeIf(expiry -> expiry <= now);
  }

  private String randomId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String digest(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
