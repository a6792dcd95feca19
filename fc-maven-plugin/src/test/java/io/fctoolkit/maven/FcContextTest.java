package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.maven.internal.MavenEventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

class FcContextTest {

  @Test
  void step_showsItsRunningTimeOnATerminal_andClearsTheLineWhenItEnds() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    String result;
    try (FcContext fc = live(console)) {
      result = fc.step("publish", () -> "v1");
      assertThat(fc.steps()).extracting(FcContext.Step::name).containsExactly("publish");
    }
    assertThat(result).isEqualTo("v1");
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).startsWith("\r\u001b[K[fc] publish 0.");
    assertThat(out).endsWith("\r\u001b[K");
  }

  @Test
  void step_inBatchMode_printsNoLiveLine() {
    try (FcContext fc = batch()) {
      assertThat(fc.step("alias", () -> 42)).isEqualTo(42);
      assertThat(fc.steps()).hasSize(1);
    }
  }

  @Test
  void background_runsWhileTheGoalsOwnStepRuns_andJoinRecordsItAfterThatStep() throws Exception {
    try (FcContext fc = batch()) {
      // Given: a background step that can only end once the goal's own step has begun, and a
      // goal step that only ends once the background step has ended: both must run at once
      CountDownLatch buildBegan = new CountDownLatch(1);
      CountDownLatch connected = new CountDownLatch(1);
      AtomicReference<String> thread = new AtomicReference<>();
      FcContext.Background<String> connecting =
          fc.background(
              "connect",
              () -> {
                thread.set(Thread.currentThread().getName());
                await(buildBegan);
                connected.countDown();
                return "platform";
              });

      // When
      fc.step(
          "build",
          () -> {
            buildBegan.countDown();
            await(connected);
            return "image";
          });
      String platform = connecting.join();

      // Then: its own thread; recorded after the step it ran during, with its own time, and the
      // goal waited for none of it beyond that step (the work had ended)
      assertThat(platform).isEqualTo("platform");
      assertThat(thread.get()).isEqualTo("fc-connect");
      assertThat(fc.steps()).extracting(FcContext.Step::name).containsExactly("build", "connect");
      FcContext.Step connect = fc.steps().get(1);
      assertThat(connect.during()).containsExactly("build");
      assertThat(connect.waited()).isLessThanOrEqualTo(connect.elapsed());
      FcContext.Step build = fc.steps().get(0);
      assertThat(build.during()).isEmpty();
      assertThat(build.waited()).isEqualTo(build.elapsed());
      assertThatThrownBy(connecting::join).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void background_join_throwsWhatTheStepThrew_unchanged() {
    PlatformUnavailableException failure =
        new PlatformUnavailableException(
            "/tmp/state", "no local runtime runs on this state folder", "start one", null);
    try (FcContext fc = batch()) {
      FcContext.Background<String> connecting =
          fc.background(
              "connect",
              () -> {
                throw failure;
              });

      assertThatThrownBy(connecting::join).isSameAs(failure);
      assertThat(fc.steps()).extracting(FcContext.Step::name).containsExactly("connect");
    }
  }

  @Test
  void close_whenTheGoalFailedBeforeJoining_waitsForTheStepAndClosesWhatItReturned() {
    // Given: a background step that is still running when the goal fails
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    AtomicReference<Thread> thread = new AtomicReference<>();
    FcContext fc = batch();
    fc.background(
        "connect",
        () -> {
          thread.set(Thread.currentThread());
          await(release);
          return (AutoCloseable) () -> closed.set(true);
        });
    assertThatThrownBy(
            () ->
                fc.step(
                    "build",
                    () -> {
                      throw new IllegalStateException("the build failed");
                    }))
        .hasMessage("the build failed");

    // When: the goal ends (the step ends a moment later)
    new Thread(
            () -> {
              sleep(100);
              release.countDown();
            })
        .start();
    fc.close();

    // Then: nothing of the step outlives the goal: it ended, and what it returned was closed
    assertThat(closed).isTrue();
    assertThat(thread.get().isAlive()).isFalse();
  }

  @Test
  void close_whenTheStepOutlastsTheWait_stillClosesWhatItReturnsOnceItEnds() throws Exception {
    // Given: a background step that ends only after the goal stopped waiting for it
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    FcContext fc = batch();
    fc.background(
        "connect",
        () -> {
          await(release);
          return (AutoCloseable) closed::countDown;
        });

    // When
    fc.close(Duration.ofMillis(50));
    assertThat(closed.getCount()).isEqualTo(1);
    release.countDown();

    // Then
    assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void join_onATerminal_showsTheBackgroundStepsRunningTimeWhileTheGoalWaits() {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (FcContext fc = live(console)) {
      CountDownLatch release = new CountDownLatch(1);
      FcContext.Background<Integer> connecting =
          fc.background(
              "connect",
              () -> {
                await(release);
                return 1;
              });
      new Thread(
              () -> {
                sleep(300);
                release.countDown();
              })
          .start();
      assertThat(connecting.join()).isEqualTo(1);
    }
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("[fc] connect 0.");
    assertThat(out).endsWith("\r\u001b[K");
  }

  private static FcContext live(ByteArrayOutputStream console) {
    return new FcContext(
        new MavenEventLog(
            new SystemStreamLog(), new PrintStream(console, true, StandardCharsets.UTF_8)),
        null);
  }

  private static FcContext batch() {
    return new FcContext(new MavenEventLog(new SystemStreamLog(), null), null);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("waited 30 s: the two steps did not run at the same time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
