package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final DashboardSessions sessions = new DashboardSessions(clock::get);

  @Test
  void aCode_worksOnce_andGivesASessionForItsPortOnly() {
    String code = sessions.newCode();

    Optional<String> session = sessions.exchange(code);

    assertThat(session).isPresent();
    assertThat(sessions.exchange(code)).isEmpty();
    String cookie = "other=1; " + DashboardSessions.cookieName(8765) + "=" + session.get();
    assertThat(sessions.valid(cookie, 8765)).isTrue();
    assertThat(sessions.valid(cookie, 8766)).isFalse();
    assertThat(sessions.valid(DashboardSessions.cookieName(8765) + "=nope", 8765)).isFalse();
    assertThat(sessions.valid(null, 8765)).isFalse();
  }

  @Test
  void codesAndSessions_expire() {
    String late = sessions.newCode();
    String fresh = sessions.newCode();
    String session = sessions.exchange(fresh).orElseThrow();
    String cookie = DashboardSessions.cookieName(1) + "=" + session;

    clock.addAndGet(DashboardSessions.CODE_TTL.toMillis());
    assertThat(sessions.exchange(late)).isEmpty();
    assertThat(sessions.valid(cookie, 1)).isTrue();

    clock.addAndGet(DashboardSessions.SESSION_TTL.toMillis());
    assertThat(sessions.valid(cookie, 1)).isFalse();
  }

  @Test
  void outstandingCodes_areCapped_dropsTheOldest() {
    String first = sessions.newCode();
    for (int i = 0; i < DashboardSessions.MAX_CODES; i++) {
      sessions.newCode();
    }
    assertThat(sessions.exchange(first)).isEmpty();
    assertThat(sessions.exchange(sessions.newCode())).isPresent();
  }

  @Test
  void junk_isNoCode() {
    assertThat(sessions.exchange(null)).isEmpty();
    assertThat(sessions.exchange("")).isEmpty();
    assertThat(sessions.exchange("x".repeat(10_000))).isEmpty();
  }
}
