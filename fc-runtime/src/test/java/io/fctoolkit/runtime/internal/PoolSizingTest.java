package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolSizingTest {

  // concurrency 10, min 0, max 10, standby 1, 2 launches at once
  private final PoolSizing sizing = new PoolSizing(10, 0, 10, 1, 2);

  @Test
  void burstFromZero_startsOnlyTheBoundedNumberAtOnce_thenTheRestAsLaunchesEnd() {
    // Given 2,000 queued requests and no instance
    // Then two launches begin, none more while both run, and one more when one of them ends
    assertThat(sizing.toStart(0, 0, 2000, true)).isEqualTo(2);
    assertThat(sizing.toStart(0, 2, 2000, true)).isZero();
    assertThat(sizing.toStart(1, 1, 2000, true)).isEqualTo(1);
    // and never past the maximum
    assertThat(sizing.toStart(9, 1, 2000, true)).isZero();
    assertThat(sizing.target(2000, true)).isEqualTo(10);
  }

  @Test
  void demand_startsOnlyWhatItNeeds() {
    // 25 requests at 10 each need 3 instances; with one ready and one starting, one more
    assertThat(sizing.target(25, false)).isEqualTo(3);
    assertThat(sizing.toStart(1, 1, 25, false)).isEqualTo(1);
    assertThat(sizing.toStart(3, 0, 25, false)).isZero();
  }

  @Test
  void routed_keepsTheStandbyAheadOfDemand_andTheMinimum() {
    // idle: one ready instance waits
    assertThat(sizing.target(0, true)).isEqualTo(1);
    // one instance full: the next one is wanted before a request has to wait for it
    assertThat(sizing.target(10, true)).isEqualTo(2);
    assertThat(sizing.target(11, true)).isEqualTo(3);
    // a minimum above demand plus standby wins
    assertThat(new PoolSizing(10, 4, 10, 1, 2).target(10, true)).isEqualTo(4);
    // standby 2
    assertThat(new PoolSizing(10, 0, 10, 2, 2).target(0, true)).isEqualTo(2);
  }

  @Test
  void unroutedOrStandbyOff_keepsNothingAhead() {
    assertThat(sizing.target(0, false)).isZero();
    assertThat(sizing.keep(0, false)).isZero();
    PoolSizing off = new PoolSizing(10, 0, 10, 0, 2);
    assertThat(off.target(0, true)).isZero();
    assertThat(off.target(10, true)).isEqualTo(1);
  }

  @Test
  void standby_isBoundedByMaxInstances() {
    assertThat(sizing.target(100, true)).isEqualTo(10);
    assertThat(new PoolSizing(10, 0, 1, 3, 2).keep(0, true)).isEqualTo(1);
  }

  @Test
  void badValues_areRefused() {
    assertThatThrownBy(() -> new PoolSizing(0, 0, 10, 1, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PoolSizing(10, 0, 10, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
