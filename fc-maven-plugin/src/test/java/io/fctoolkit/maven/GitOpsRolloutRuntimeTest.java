package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.SmokeRequest;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.Planner;
import io.fctoolkit.core.gitops.RolloutReverts;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.maven.internal.DeployFlow;
import io.fctoolkit.maven.internal.DeployRollout;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TriggerHost;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout from Git on the real local runtime (in-process {@link RuntimeServer}, real images of
 * {@link io.fctoolkit.maven.testfn.Hello}) with real Git (a bare remote and a clone): the smoke
 * fixture in {@code functions/<fn>/smoke/} stops the rollout before any traffic, the alias
 * untouched; with {@code onFailedRollout: revert-branch} the failure becomes one revert commit on
 * {@code fc/revert/...}, and once it is merged Git and the runtime agree.
 */
class GitOpsRolloutRuntimeTest {

  static final String FN = "smoky";
  static final String ENV_FILE = "gitops/environments/dev/environment.yaml";
  static final String BRANCH = "fc/revert/dev/smoky/live";

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
    Path config = shared.resolve("config/gitops");
    writeGitops(config, "blue");
    FunctionConfig functionConfig = GitOpsRepository.open(config).function(FN).config();
    try (LocalPlatform platform = server.client()) {
      ImageSource one = image("one");
      ImageSource two = image("two");
      blue = one.digest();
      green = two.digest();
      platform.publish(new PublishRequest(functionConfig, one, "blue"));
      platform.publish(new PublishRequest(functionConfig, two, "green"));
    }
  }

  @AfterAll
  static void stopRuntime() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aFailingSmokeFixture_stopsTheRollout_aliasUntouched_andTheRevertIsWrittenOnce()
      throws Exception {
    try (Git ci = clone(remote());
        LocalPlatform platform = server.client()) {
      Path gitops = ci.getRepository().getWorkTree().toPath().resolve("gitops");
      apply(gitops, platform).throwIfFailed();
      Alias before = alias(platform);
      assertThat(before.target()).isEqualTo(AliasTarget.of(1));

      // Given a merged pull request: live -> green by rollout, and a fixture green fails
      Files.createDirectories(gitops.resolve("functions/" + FN + "/smoke"));
      Files.writeString(
          gitops.resolve("functions/" + FN + "/smoke/ping.json"),
          "{\"method\": \"GET\", \"path\": \"/\", \"expectStatus\": 201}\n");
      replace(
          ci,
          "        release: blue\n",
          "        release: green\n        rollout:\n          steps: [50]\n");
      commitAndPush(ci, "Merge pull request #3: promote green");

      // When
      ApplyReport report = apply(gitops, platform);

      // Then apply's step fails with the smoke's answer, and the alias never moved
      assertThat(report.succeeded()).isFalse();
      ApplyReport.Step failed =
          report.steps().stream()
              .filter(s -> s.status() == ApplyReport.Status.FAILED)
              .findFirst()
              .orElseThrow();
      assertThat(failed.error())
          .contains(
              "smoke invocation 'functions/smoky/smoke/ping.json' of version 2 answered 200,"
                  + " expected 201: hello")
          .contains("alias live still serves version 1");
      assertThat(alias(platform)).isEqualTo(before);
      RolloutStatus rollout = platform.rollout(FN, "live").orElseThrow();
      assertThat(rollout.state()).isEqualTo(RolloutStatus.State.ROLLED_BACK);
      assertThat(rollout.weight()).isEqualByComparingTo("0");
      assertThat(rollout.history()).extracting(RolloutStatus.Decision::action).contains("smoke");

      // When the next plan runs (onFailedRollout: revert-branch)
      List<RolloutReverts.Revert> reverts = reverts(gitops, platform);

      // Then one revert, pushed, with the smoke's answer in its message
      assertThat(reverts).singleElement().satisfies(r -> assertThat(r.problem()).isNull());
      String commit = reverts.get(0).result().commit();
      assertThat(reverts.get(0).result().branch()).isEqualTo(BRANCH);
      assertThat(reverts.get(0).result().title())
          .isEqualTo("revert(dev): smoky live -> blue (rollout of green failed)");
      assertThat(reverts.get(0).result().message()).contains("answered 200, expected 201");
      ci.fetch().setRemote("origin").call();
      assertThat(ci.getRepository().resolve("refs/remotes/origin/" + BRANCH).name())
          .isEqualTo(commit);

      // and a second run writes nothing new
      assertThat(reverts(gitops, platform).get(0).result().commit()).isEqualTo(commit);

      // When the revert's pull request is merged, Git and the runtime agree
      ci.merge().include(ci.getRepository().resolve("refs/remotes/origin/" + BRANCH)).call();
      Plan clean = new Planner(GitOpsRepository.open(gitops)).plan("dev", platform);
      assertThat(clean.drift()).isEmpty();
      assertThat(clean.aliases()).isEmpty();
      assertThat(alias(platform)).isEqualTo(before);
    }
  }

  @Test
  void deployFlow_withARollout_startsItInsteadOfMovingTheAlias_andAFailingSmokeFailsTheDeploy()
      throws Exception {
    try (LocalPlatform platform = server.client()) {
      FunctionConfig config = platform.describe(FN).orElseThrow().versions().get(0).config();
      platform.putAlias(new AliasUpdate(FN, "edge", AliasTarget.of(1), 0L));
      platform.putAlias(new AliasUpdate(FN, "guarded", AliasTarget.of(1), 0L));
      Alias guarded = platform.describe(FN).flatMap(s -> s.alias("guarded")).orElseThrow();
      ImageSource three = image("three");
      RolloutStrategy strategy =
          new RolloutStrategy(
              List.of(BigDecimal.valueOf(50)),
              1000,
              Duration.ofSeconds(1),
              Duration.ofMinutes(10),
              RolloutStrategy.Inconclusive.ROLLBACK,
              RolloutGates.DEFAULT);
      SmokeRequest ok = new SmokeRequest("ok.json", "GET", "/", Map.of(), "", 200);
      SmokeRequest bad = new SmokeRequest("bad.json", "GET", "/", Map.of(), "", 201);
      DeployFlow flow = new DeployFlow(platform, events::add, DeployFlow.Steps.untimed());

      // When a deploy with a rollout targets an alias serving another version
      DeployFlow.Result result =
          flow.run(
              new DeployFlow.Request(
                  config,
                  three,
                  null,
                  "edge",
                  List.of(),
                  new DeployRollout(strategy, List.of(ok), "the test's strategy")));

      // Then the version is published and rolled out: 50% now, key affinity, not moved at once
      int version = result.published().version().number();
      assertThat(result.alias().target())
          .isEqualTo(AliasTarget.canary(1, version, BigDecimal.valueOf(50), Affinity.KEY));
      assertThat(result.rollout().state()).isEqualTo(RolloutStatus.State.PROGRESSING);
      assertThat(platform.rollout(FN, "edge").orElseThrow().canaryVersion()).isEqualTo(version);
      assertThat(events)
          .anyMatch(
              e ->
                  e.message()
                      .startsWith(
                          "Rolling out v"
                              + version
                              + " on alias edge (the test's strategy): 50% now, step 1 of 1,"
                              + " after 1 smoke invocation(s) passed"));
      platform.abortRollout(FN, "edge", "test done");

      // When the same deploy's smoke fails on another alias
      assertThatThrownBy(
              () ->
                  flow.run(
                      new DeployFlow.Request(
                          config,
                          three,
                          null,
                          "guarded",
                          List.of(),
                          new DeployRollout(strategy, List.of(bad), "the test's strategy"))))
          .isInstanceOf(FcException.class)
          .hasMessageContaining(
              "the rollout of v" + version + " on alias guarded stopped before its first step")
          .hasMessageContaining(
              "smoke invocation 'bad.json' of version " + version + " answered 200, expected 201");

      // Then the alias never moved
      assertThat(platform.describe(FN).flatMap(s -> s.alias("guarded")).orElseThrow())
          .isEqualTo(guarded);
    } finally {
      // The other test's environment declares only 'live': these would be drift there.
      try (LocalPlatform platform = server.client()) {
        platform.deleteAlias(FN, "edge", null);
        platform.deleteAlias(FN, "guarded", null);
      }
    }
  }

  private List<RolloutReverts.Revert> reverts(Path gitops, LocalPlatform platform) {
    GitOpsRepository repo = GitOpsRepository.open(gitops);
    Plan plan = new Planner(repo).plan("dev", platform);
    assertThat(plan.drift()).extracting(Plan.Drift::kind).containsExactly("rollout");
    return new RolloutReverts(repo, events::add)
        .write(
            plan,
            platform,
            new GitPromoter(
                gitops, GitPromoter.Options.defaults().withBaseBranch("main"), e -> {}));
  }

  private ApplyReport apply(Path gitops, LocalPlatform platform) {
    return Applier.apply(gitops, "dev", platform, events::add);
  }

  private static Alias alias(LocalPlatform platform) {
    return platform.describe(FN).flatMap(s -> s.alias("live")).orElseThrow();
  }

  // --- images, as GitOpsRaceTest builds them ---

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

  private static void writeGitops(Path gitops, String release) throws IOException {
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
            + "onFailedRollout: revert-branch\n"
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
            + "      - name: live\n"
            + "        release: "
            + release
            + "\n");
  }

  private Path remote() throws Exception {
    Path remote = dir.resolve("remote.git");
    Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    Path seed = dir.resolve("seed");
    try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      identify(git, "seed");
      writeGitops(seed.resolve("gitops"), "blue");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("initial gitops state").setSign(false).call();
      git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toURL())).call();
      git.push().setRemote("origin").add("main").call();
    }
    return remote;
  }

  private Git clone(Path remote) throws Exception {
    Git git =
        Git.cloneRepository()
            .setURI(remote.toUri().toString())
            .setDirectory(dir.resolve("ci").toFile())
            .setBranch("main")
            .call();
    identify(git, "ci");
    return git;
  }

  private static void identify(Git git, String who) throws IOException {
    var config = git.getRepository().getConfig();
    config.setString("user", null, "name", who);
    config.setString("user", null, "email", who + "@example.com");
    config.setBoolean("commit", null, "gpgsign", false);
    config.save();
  }

  private static void replace(Git clone, String from, String to) throws IOException {
    Path file = clone.getRepository().getWorkTree().toPath().resolve(ENV_FILE);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).containsOnlyOnce(from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
  }

  private static void commitAndPush(Git clone, String message) throws Exception {
    clone.add().addFilepattern(".").call();
    clone.commit().setAll(true).setMessage(message).setSign(false).call();
    clone
        .push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
        .call();
  }
}
