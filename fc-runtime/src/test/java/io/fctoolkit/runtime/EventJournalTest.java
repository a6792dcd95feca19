package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventJournalTest {

  private final AtomicLong clock = new AtomicLong(1_000);
  private final EventJournal journal = new EventJournal(clock::get);

  @Test
  void record_numbersEntries_andAnswersPerFunctionAfterASeq() {
    // Given
    journal.record("publish", "a", "v1 published");
    clock.set(2_000);
    journal.record("alias", "b", "live: created at v1");
    JournalEvent third = journal.record("rollback", "a", "live: v2 -> v1");

    // When
    List<JournalEvent> ofA = journal.events("a", 0, 100);
    List<JournalEvent> afterFirst = journal.events("a", 1, 100);

    // Then
    assertThat(ofA).extracting(JournalEvent::type).containsExactly("publish", "rollback");
    assertThat(afterFirst).containsExactly(third);
    assertThat(third.seq()).isEqualTo(3);
    assertThat(third.timeMs()).isEqualTo(2_000);
  }

  @Test
  void journal_keepsTheLatestEntriesOnly_andCutsLongDetails() {
    for (int i = 0; i < EventJournal.CAPACITY + 10; i++) {
      journal.record("publish", "f", "v" + i);
    }
    journal.record("alias", "f", "x".repeat(5_000) + "\nsecond line");

    List<JournalEvent> kept = journal.events("f", 0, Integer.MAX_VALUE);
    assertThat(kept).hasSize(EventJournal.CAPACITY);
    assertThat(kept.get(0).detail()).isEqualTo("v11");
    JournalEvent last = kept.get(kept.size() - 1);
    assertThat(last.detail()).hasSize(EventJournal.MAX_DETAIL).doesNotContain("\n");
    // a limit keeps the newest
    assertThat(journal.events("f", 0, 2))
        .extracting(JournalEvent::type)
        .containsExactly("publish", "alias");
  }

  @Test
  void record_refusesATypeThatIsNotAWord() {
    assertThatThrownBy(() -> journal.record("Rollout Step", "f", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Rollout Step'");
    assertThat(journal.record("rollout-step", "f", null).detail()).isEmpty();
  }

  @Test
  void aFailingListener_doesNotFailTheRecord_andOthersStillHear() {
    List<JournalEvent> heard = new ArrayList<>();
    journal.subscribe(
        e -> {
          throw new IllegalStateException("boom");
        });
    journal.subscribe(heard::add);

    JournalEvent e = journal.record("publish", "f", "v1");

    assertThat(heard).containsExactly(e);
  }
}
