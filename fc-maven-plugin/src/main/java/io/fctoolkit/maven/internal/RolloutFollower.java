package io.fctoolkit.maven.internal;

import io.fctoolkit.core.RolloutStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Waits for rollouts to end, the way {@code kubectl argo rollouts status --timeout} or a CodeDeploy
 * pipeline stage waits: it polls each rollout, prints a line whenever its state, step or weight
 * changes (not at every poll), and returns the last status of each when all have ended or the time
 * is up. The platform drives the rollouts; Maven only watches, so a timeout leaves them running.
 */
public final class RolloutFollower {

  /** One alias's rollout to follow. */
  public record Target(String function, String alias) {
    @Override
    public String toString() {
      return function + "/" + alias;
    }
  }

  /** Reads a rollout's status from the platform. */
  @FunctionalInterface
  public interface Lookup {
    Optional<RolloutStatus> rollout(String function, String alias) throws Exception;
  }

  /** Waits between polls (a test passes one that moves a fake clock). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * What the wait saw.
   *
   * @param ended the last status of each rollout that ended (promoted, rolled back or aborted)
   * @param running the last status of each rollout still running when the time was up
   * @param gone the targets with no rollout started at or after the wait's start (the alias was
   *     moved at once, or the platform keeps no rollout for it)
   */
  public record Outcome(
      Map<Target, RolloutStatus> ended, Map<Target, RolloutStatus> running, List<Target> gone) {

    /** The rollouts that ended without their canary taking all traffic. */
    public List<RolloutStatus> failed() {
      return ended.values().stream()
          .filter(s -> s.state() != RolloutStatus.State.PROMOTED)
          .toList();
    }
  }

  private final Lookup lookup;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration poll;
  private final Consumer<String> log;

  public RolloutFollower(
      Lookup lookup, Clock clock, Sleeper sleeper, Duration poll, Consumer<String> log) {
    this.lookup = lookup;
    this.clock = clock;
    this.sleeper = sleeper;
    this.poll = poll;
    this.log = log;
  }

  /** A follower on the wall clock that polls every 2 seconds. */
  public static RolloutFollower polling(Lookup lookup, Consumer<String> log) {
    return new RolloutFollower(
        lookup, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), Duration.ofSeconds(2), log);
  }

  /**
   * Follows {@code targets} for at most {@code timeout}. {@code since} is when the caller started
   * them: a rollout the platform reports as started before it (say, an earlier release's rollback)
   * is not one of them, and the target counts as {@link Outcome#gone()}.
   */
  public Outcome follow(List<Target> targets, Instant since, Duration timeout) throws Exception {
    Instant deadline = clock.instant().plus(timeout);
    Set<Target> open = new LinkedHashSet<>(targets);
    Map<Target, RolloutStatus> ended = new LinkedHashMap<>();
    Map<Target, RolloutStatus> last = new LinkedHashMap<>();
    Map<Target, String> shown = new HashMap<>();
    List<Target> gone = new ArrayList<>();
    while (true) {
      for (Target target : List.copyOf(open)) {
        Optional<RolloutStatus> found = lookup.rollout(target.function(), target.alias());
        if (found.isEmpty() || found.get().startedAt().isBefore(since)) {
          open.remove(target);
          gone.add(target);
          continue;
        }
        RolloutStatus status = found.get();
        last.put(target, status);
        String key = status.state() + " " + status.step() + " " + status.weight();
        if (!key.equals(shown.put(target, key))) {
          log.accept(line(status));
        }
        if (status.state().finished()) {
          open.remove(target);
          ended.put(target, status);
        }
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (open.isEmpty() || left.isNegative() || left.isZero()) {
        break;
      }
      sleeper.sleep(left.compareTo(poll) < 0 ? left : poll);
    }
    Map<Target, RolloutStatus> running = new LinkedHashMap<>();
    open.forEach(t -> running.put(t, last.get(t)));
    return new Outcome(ended, running, gone);
  }

  /** One line for a rollout's state: where it is, or how it ended and why. */
  public static String line(RolloutStatus s) {
    String who = s.function() + "/" + s.alias() + " v" + s.canaryVersion();
    if (s.state().finished()) {
      return who + ": " + s.state() + (s.reason() == null ? "" : ": " + s.reason());
    }
    String at =
        who
            + ": "
            + s.state()
            + " at step "
            + (s.step() + 1)
            + " of "
            + s.strategy().steps().size()
            + " ("
            + s.weight().toPlainString()
            + "%), "
            + s.samples()
            + " canary samples";
    return switch (s.state()) {
      case AWAITING_APPROVAL, PAUSED ->
          at
              + "; waits for a person: mvn fc:rollout -Dfc.alias="
              + s.alias()
              + " -Dfc.rollout.action="
              + (s.state() == RolloutStatus.State.PAUSED ? "resume" : "approve");
      default -> at;
    };
  }
}
