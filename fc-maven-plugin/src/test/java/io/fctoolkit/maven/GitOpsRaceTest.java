package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.GitPromotionConflictException;
import io.fctoolkit.core.gitops.PromotionResult;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TriggerHost;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent promotions against the real local runtime (in-process {@link RuntimeServer}, real
 * images published by a real host) and real Git repositories (a bare remote and two clones made
 * with JGit). It lives here, not in fc-core, because fc-core cannot depend on fc-runtime; and not
 * in an invoker IT, because the apply race needs one apply to stop between its plan and its alias
 * move while another runs, which only an in-process platform wrapper can arrange deterministically.
 */
class GitOpsRaceTest {

  static final String FN = "race";
  static final String ENV_FILE = "gitops/environments/dev/environment.yaml";

  @TempDir static Path shared;
  static RuntimeServer server;
  static String blue;
  static String green;

  @TempDir Path dir;
  final List<FcEvent> events = new ArrayList<>();

  @BeforeAll
  static void startRuntimeAndPublishTwoReleases() throws Exception {
    server =
        RuntimeServer.start(
            RuntimeOptions.forTest(shared.resolve("state"))
                .withTriggers((invoker, state, sink) -> TriggerHost.none()));
    FunctionConfig config = functionConfig();
    try (LocalPlatform platform = server.client()) {
      ImageSource one = image("one");
      ImageSource two = image("two");
      blue = one.digest();
      green = two.digest();
      assertThat(platform.publish(new PublishRequest(config, one, "blue")).version().number())
          .isEqualTo(1);
      assertThat(platform.publish(new PublishRequest(config, two, "green")).version().number())
          .isEqualTo(2);
    }
  }

  @AfterAll
  static void stopRuntime() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twoClonesPromoteTheSameAlias_theSecondGetsAClearConflict_andApplyMovesOnlyTheFirst()
      throws Exception {
    // Given live -> blue in Git and on the runtime
    Path remote = remote("live", "edge");
    try (Git alice = clone(remote, "alice");
        Git bob = clone(remote, "bob");
        LocalPlatform platform = server.client()) {
      apply(alice, platform).throwIfFailed();
      Alias before = alias(platform, "live");
      assertThat(before.target()).isEqualTo(AliasTarget.of(1));

      // When both promote the same alias from the same base
      PromotionResult first = promoter(alice).promote("dev", FN, "live", "green", null, null);
      String branch = "fc/promote/dev/race/live";
      assertThat(first.branch()).isEqualTo(branch);
      assertThat(first.pushed()).isTrue();

      // Then the second is refused, naming the branch, the pending commit and what to do
      assertThatThrownBy(
              () -> promoter(bob).promote("dev", FN, "live", "green", BigDecimal.TEN, null))
          .isInstanceOf(GitPromotionConflictException.class)
          .hasMessageContaining("another change to this alias is pending on branch " + branch)
          .hasMessageContaining(first.commit().substring(0, 8))
          .hasMessageContaining("\"promote(dev): race live -> green\" by alice")
          .satisfies(
              e ->
                  assertThat(((GitPromotionConflictException) e).hint())
                      .isEqualTo(
                          "merge or close that pull request (and delete its branch), then"
                              + " promote again"));
      // and nothing of Bob's reached the remote or the runtime
      assertThat(remoteTip(alice, branch)).isEqualTo(first.commit());
      assertThat(alias(platform, "live")).isEqualTo(before);

      // When the first PR is merged and applied
      merge(alice, branch);
      ApplyReport applied = apply(alice, platform).throwIfFailed();

      // Then the runtime runs exactly what Git says, and the next promotion goes through
      assertThat(applied.applied())
          .extracting(ApplyReport.Step::description)
          .anyMatch(d -> d.contains("live") && d.contains("blue -> green"));
      Alias after = alias(platform, "live");
      assertThat(after.target()).isEqualTo(AliasTarget.of(2));
      assertThat(after.revision()).isEqualTo(before.revision() + 1);
      assertThat(apply(alice, platform).applied()).isEmpty();
      PromotionResult second =
          promoter(bob).promote("dev", FN, "live", "blue", BigDecimal.TEN, null);
      assertThat(second.title()).isEqualTo("promote(dev): race live -> blue (canary 10%)");
    }
  }

  @Test
  void twoAppliesRace_theLoserGetsAConflictNamingBothRevisions_andAppliesNothingMore()
      throws Exception {
    // Given Git says: 'front' on blue, then 'back' on green; the runtime has front on green
    Path remote = remote("front", "back");
    try (Git alice = clone(remote, "alice");
        Git bob = clone(remote, "bob");
        LocalPlatform platform = server.client();
        LocalPlatform other = server.client()) {
      platform.putAlias(new AliasUpdate(FN, "front", AliasTarget.of(2), 0L));
      long seen = alias(platform, "front").revision();
      // Bob's clone wants something else: front on blue with a green canary, and no 'back'
      replaceAndCommit(
          bob,
          "        release: blue\n      - name: back\n        release: green\n",
          "        release: blue\n        canaryRelease: green\n        weight: 50\n");

      // When Alice's apply has planned (at revision 'seen') and Bob's whole apply runs before her
      // first alias change reaches the runtime
      AtomicBoolean raced = new AtomicBoolean();
      Platform racing =
          interceptFirstPutAlias(
              platform,
              () -> {
                raced.set(true);
                apply(bob, other).throwIfFailed();
              });
      ApplyReport report = apply(alice, racing);

      // Then Alice's move fails with a conflict naming both revisions
      assertThat(raced).isTrue();
      assertThat(report.succeeded()).isFalse();
      ApplyReport.Step failed =
          report.steps().stream()
              .filter(s -> s.status() == ApplyReport.Status.FAILED)
              .findFirst()
              .orElseThrow();
      assertThat(failed.description()).contains("race/front");
      assertThat(failed.error())
          .contains("expected revision " + seen)
          .contains("at revision " + (seen + 1));
      // and nothing after it was attempted: 'back' does not exist, front is as Bob left it
      assertThat(report.steps())
          .filteredOn(s -> s.description().contains("race/back"))
          .extracting(ApplyReport.Step::status)
          .containsExactly(ApplyReport.Status.NOT_ATTEMPTED);
      assertThat(platform.describe(FN).orElseThrow().alias("back")).isEmpty();
      Alias front = alias(platform, "front");
      assertThat(front.revision()).isEqualTo(seen + 1);
      assertThat(front.target().version()).isEqualTo(1);
      assertThat(front.target().canaryVersion()).isEqualTo(2);
      assertThat(front.target().canaryWeight()).isEqualByComparingTo("50");

      // When Alice applies again, she plans from the live state and completes
      apply(alice, platform).throwIfFailed();
      assertThat(alias(platform, "front").target()).isEqualTo(AliasTarget.of(1));
      assertThat(alias(platform, "back").target()).isEqualTo(AliasTarget.of(2));
      assertThat(alias(platform, "front").revision()).isEqualTo(seen + 2);
    }
  }

  // --- the platform ---

  /** A platform whose first {@code putAlias} runs {@code meanwhile} before it goes through. */
  private static Platform interceptFirstPutAlias(Platform platform, ThrowingRunnable meanwhile) {
    AtomicBoolean done = new AtomicBoolean();
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().equals("putAlias") && done.compareAndSet(false, true)) {
            meanwhile.run();
          }
          try {
            return method.invoke(platform, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Platform)
        Proxy.newProxyInstance(
            Platform.class.getClassLoader(), new Class<?>[] {Platform.class}, handler);
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static Alias alias(Platform platform, String name) {
    return platform.describe(FN).flatMap(state -> state.alias(name)).orElseThrow();
  }

  private ApplyReport apply(Git clone, Platform platform) {
    return Applier.apply(gitops(clone), "dev", platform, events::add);
  }

  private static FunctionConfig functionConfig() throws IOException {
    Path gitops = shared.resolve("config/gitops");
    writeGitops(gitops, "x", "y");
    return GitOpsRepository.open(gitops).function(FN).config();
  }

  /** A real image of {@link io.fctoolkit.maven.testfn.Hello}; {@code content} makes it unique. */
  private static ImageSource image(String content) throws Exception {
    Path work = shared.resolve("image-" + content);
    Path classes = work.resolve("classes");
    Path fnDir = classes.resolve("io/fctoolkit/maven/testfn");
    Files.createDirectories(fnDir);
    Files.copy(
        classesRoot(io.fctoolkit.maven.testfn.Hello.class)
            .resolve("io/fctoolkit/maven/testfn/Hello.class"),
        fnDir.resolve("Hello.class"));
    Path resources = work.resolve("resources");
    Files.createDirectories(resources);
    Files.writeString(resources.resolve("build.txt"), content);
    ImageBuildRequest request =
        ImageBuildRequest.builder(FN, "io.fctoolkit.maven.testfn.Hello")
            .classes(classes)
            .resources(resources)
            .dependencies(
                List.of(
                    jarOf(com.google.cloud.functions.HttpFunction.class, work),
                    jarOf(io.cloudevents.CloudEvent.class, work)))
            .hostJar(jarOf(io.fctoolkit.host.FcHost.class, work))
            .target(new ImageTarget.Archive(work.resolve("image.tar"), ImageRef.parse(FN)))
            .outputDirectory(work.resolve("out"))
            .build();
    return new FunctionImageBuilder(event -> {}).build(request).toImageSource();
  }

  private static Path classesRoot(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The jar of {@code type}; a reactor build may give a classes folder, which is jarred. */
  private static Path jarOf(Class<?> type, Path work) throws Exception {
    Path location = classesRoot(type);
    if (Files.isRegularFile(location)) {
      return location;
    }
    Path jar = work.resolve(type.getSimpleName() + ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(location)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        jarOut.putNextEntry(new JarEntry(location.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jarOut);
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  // --- Git ---

  private static void writeGitops(Path gitops, String first, String second) throws IOException {
    Files.createDirectories(gitops.resolve("functions"));
    Files.createDirectories(gitops.resolve("environments/dev"));
    Files.writeString(
        gitops.resolve("functions/" + FN + ".yaml"),
        "apiVersion: fc-toolkit.io/v1\n"
            + "kind: Function\n"
            + "name: "
            + FN
            + "\n"
            + "handler: io.fctoolkit.maven.testfn.Hello\n"
            + "resources:\n"
            + "  memoryMb: 128\n");
    Files.writeString(
        gitops.resolve("environments/dev/environment.yaml"),
        "apiVersion: fc-toolkit.io/v1\n"
            + "kind: Environment\n"
            + "name: dev\n"
            + "platform:\n"
            + "  type: local\n"
            + "driftPolicy: report   # the other test's aliases live on the same runtime\n"
            + "functions:\n"
            + "  "
            + FN
            + ":\n"
            + "    releases:\n"
            + "      - id: blue\n"
            + "        image: "
            + FN
            + "@"
            + (blue == null ? "sha256:" + "1".repeat(64) : blue)
            + "\n"
            + "      - id: green\n"
            + "        image: "
            + FN
            + "@"
            + (green == null ? "sha256:" + "2".repeat(64) : green)
            + "\n"
            + "    aliases:\n"
            + "      - name: "
            + first
            + "\n"
            + "        release: blue\n"
            + "      - name: "
            + second
            + "\n"
            + "        release: green\n");
  }

  /** A bare remote whose main holds the gitops state; its first alias on blue, second on green. */
  private Path remote(String first, String second) throws Exception {
    Path remote = dir.resolve("remote.git");
    Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    Path seed = dir.resolve("seed");
    try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      identify(git, "seed");
      writeGitops(seed.resolve("gitops"), first, second);
      git.add().addFilepattern(".").call();
      git.commit().setMessage("initial gitops state").setSign(false).call();
      git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toURL())).call();
      git.push().setRemote("origin").add("main").call();
    }
    return remote;
  }

  private Git clone(Path remote, String who) throws Exception {
    Git git =
        Git.cloneRepository()
            .setURI(remote.toUri().toString())
            .setDirectory(dir.resolve(who).toFile())
            .setBranch("main")
            .call();
    identify(git, who);
    return git;
  }

  private static void identify(Git git, String who) throws IOException {
    var config = git.getRepository().getConfig();
    config.setString("user", null, "name", who);
    config.setString("user", null, "email", who + "@example.com");
    config.setBoolean("commit", null, "gpgsign", false);
    config.save();
  }

  private static Path gitops(Git clone) {
    return clone.getRepository().getWorkTree().toPath().resolve("gitops");
  }

  private GitPromoter promoter(Git clone) {
    return new GitPromoter(gitops(clone), GitPromoter.Options.defaults(), events::add);
  }

  private static String remoteTip(Git clone, String branch) throws Exception {
    clone.fetch().setRemote("origin").call();
    return clone.getRepository().resolve("refs/remotes/origin/" + branch).name();
  }

  /** Merges the pull request into main as a forge does (a merge commit) and pushes main. */
  private static void merge(Git clone, String branch) throws Exception {
    clone.fetch().setRemote("origin").call();
    clone
        .merge()
        .include(clone.getRepository().resolve("refs/remotes/origin/" + branch))
        .setFastForward(MergeCommand.FastForwardMode.NO_FF)
        .setMessage("Merge pull request #1 from " + branch)
        .call();
    clone.push().setRemote("origin").add("main").call();
  }

  /** Replaces {@code from} (which must occur once) in the environment file, and commits. */
  private static void replaceAndCommit(Git clone, String from, String to) throws Exception {
    Path file = clone.getRepository().getWorkTree().toPath().resolve(ENV_FILE);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).containsOnlyOnce(from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    clone.commit().setAll(true).setMessage("another desired state").setSign(false).call();
  }
}
