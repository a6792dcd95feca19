package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger wiring point: specs are validated, handed to the trigger host before they are stored,
 * handed again after a restart, and their status is reported. The host here records calls and
 * invokes through the runtime's InProcessInvoker, as the Kafka engine does.
 */
class TriggerWiringTest {

  @TempDir Path dir;

  /** A trigger host that records what the runtime asks of it. */
  static final class RecordingHost implements TriggerHost {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final InProcessInvoker invoker;

    RecordingHost(InProcessInvoker invoker) {
      this.invoker = invoker;
    }

    @Override
    public void put(TriggerSpec trigger) {
      if (trigger.topic().equals("refused")) {
        throw new FcException("topic 'refused' cannot be consumed", "pick another topic");
      }
      calls.add("put " + trigger.function() + "/" + trigger.name());
    }

    @Override
    public void delete(String function, String trigger) {
      calls.add("delete " + function + "/" + trigger);
    }

    @Override
    public Optional<TriggerStatus> status(String function, String trigger) {
      return Optional.of(new TriggerStatus(trigger, "RUNNING", null, List.of()));
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  @Test
  void triggers_areValidatedHandedToTheHost_andRestoredAfterRestart() throws Exception {
    List<RecordingHost> hosts = new CopyOnWriteArrayList<>();
    RuntimeOptions options =
        RuntimeOptions.forTest(dir.resolve("state"))
            .withTriggers(
                (invoker, stateDir, events) -> {
                  RecordingHost host = new RecordingHost(invoker);
                  hosts.add(host);
                  return host;
                });
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      platform.publish(Fixtures.publish(Fixtures.hello("graded").build()));
      TriggerSpec spec =
          TriggerSpec.builder("submissions", "graded", "prod", "submissions")
              .allowDrop(true)
              .build();
      // The alias must exist first.
      assertThatThrownBy(() -> platform.putTrigger(spec))
          .isInstanceOfSatisfying(
              NotFoundException.class, e -> assertThat(e.name()).isEqualTo("graded/prod"));
      platform.putAlias(new AliasUpdate("graded", "prod", AliasTarget.of(1), 0L));
      assertThat(platform.putTrigger(spec)).isEqualTo(spec);
      assertThat(hosts.get(0).calls).containsExactly("put graded/submissions");
      // A spec the host refuses is not stored.
      TriggerSpec refused =
          TriggerSpec.builder("bad", "graded", "prod", "refused").allowDrop(true).build();
      assertThatThrownBy(() -> platform.putTrigger(refused))
          .hasMessageContaining("topic 'refused'");
      assertThat(platform.describe("graded").orElseThrow().triggers()).containsExactly(spec);
      // An alias a trigger uses cannot be deleted.
      assertThatThrownBy(() -> platform.deleteAlias("graded", "prod", null))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("trigger 'submissions'");
      assertThat(platform.metrics("graded").triggers())
          .extracting(TriggerStatus::state)
          .containsExactly("RUNNING");
      // The invoker the host got reaches the function through the alias.
      var response =
          hosts
              .get(0)
              .invoker
              .invoke(new InvokeRequest("graded", "prod", "rec".getBytes(), Map.of(), "key-1"))
              .get();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(1);
    }
    assertThat(hosts.get(0).calls).endsWith("close");
    try (RuntimeServer again = RuntimeServer.start(options)) {
      assertThat(hosts.get(1).calls).containsExactly("put graded/submissions");
      again.client().deleteTrigger("graded", "submissions");
      assertThat(hosts.get(1).calls).contains("delete graded/submissions");
      assertThat(again.client().describe("graded").orElseThrow().triggers()).isEmpty();
    }
  }
}
