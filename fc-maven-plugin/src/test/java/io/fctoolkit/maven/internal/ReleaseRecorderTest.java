package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.Version;
import io.fctoolkit.core.gitops.GitPromoter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseRecorderTest {

  static final String DIGEST =
      "sha256:18b44687efd634267c94808f30449b7df4cd4c1e9accd06afd1b50d178b11ac8";

  @TempDir Path dir;

  @Test
  void enabled_isGitOrNone_andAnythingElseNamesTheParameter() {
    assertThat(ReleaseRecorder.enabled(null)).isFalse();
    assertThat(ReleaseRecorder.enabled(" none ")).isFalse();
    assertThat(ReleaseRecorder.enabled("GIT")).isTrue();
    assertThatThrownBy(() -> ReleaseRecorder.enabled("github"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("record: 'github': expected git or none")
        .hasMessageContaining("-Dfc.record");
  }

  @Test
  void requireDevTarget_refusesRecordingADeployToAnotherEnvironment_andNamesBothWaysOut() {
    ReleaseRecorder.requireDevTarget("git", "local");
    ReleaseRecorder.requireDevTarget("git", "dev");
    ReleaseRecorder.requireDevTarget("none", "prod");
    assertThatThrownBy(() -> ReleaseRecorder.requireDevTarget("git", "prod"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'prod'")
        .hasMessageContaining("-Dfc.env=local or dev")
        .hasMessageContaining("-Dfc.via=git");
  }

  @Test
  void defaultReleaseId_isTheProjectVersionAndTheDigestsFirst12Hex_alwaysAValidId() {
    assertThat(ReleaseRecorder.defaultReleaseId("1.0.0", DIGEST)).isEqualTo("1.0.0-18b44687efd6");
    assertThat(ReleaseRecorder.defaultReleaseId("0.1.0-SNAPSHOT", DIGEST))
        .isEqualTo("0.1.0-snapshot-18b44687efd6");
    assertThat(ReleaseRecorder.defaultReleaseId("_2.0+build/7", DIGEST))
        .isEqualTo("2.0-build-7-18b44687efd6");
    assertThat(ReleaseRecorder.defaultReleaseId(null, DIGEST)).isEqualTo("sha-18b44687efd6");
    String longest = ReleaseRecorder.defaultReleaseId("9".repeat(100), DIGEST);
    assertThat(longest).hasSize(63).endsWith("-18b44687efd6");
    for (String id : new String[] {longest, "2.0-build-7-18b44687efd6"}) {
      new Release(id, ImageRef.parse("x@" + DIGEST));
    }
  }

  @Test
  void release_isTheBuiltRepositoryPinnedToTheDigest_forArchivesAndRegistries() {
    ImageSource archive = new ImageSource.Archive(dir.resolve("image.tar"), DIGEST, "grader");
    ImageSource registry =
        new ImageSource.Registry(ImageRef.parse("127.0.0.1:5000/fc/grader:1@" + DIGEST), true);

    assertThat(ReleaseRecorder.release("r1", archive).image().toString())
        .isEqualTo("grader@" + DIGEST);
    assertThat(ReleaseRecorder.release("r1", registry).image().toString())
        .isEqualTo("127.0.0.1:5000/fc/grader@" + DIGEST);
  }

  @Test
  void note_namesTheFunctionThePlatformVersionAndWhere() {
    FunctionConfig config = FunctionConfig.builder("grader", "com.example.Grader").build();
    Version v4 =
        new Version(
            "grader",
            4,
            DIGEST,
            config,
            Version.contentId(DIGEST, config),
            "r1",
            java.time.Instant.EPOCH);

    assertThat(ReleaseRecorder.note("grader", new PublishResult(v4, true), "local runtime at X"))
        .isEqualTo("Deployed by fc:deploy: grader version 4 (new) on local runtime at X.");
  }

  @Test
  void open_needsTheDevEnvironmentToDeclareTheFunction_beforeAnythingIsBuilt() throws Exception {
    GitPromoter.Options options = GitPromoter.Options.defaults();
    assertThatThrownBy(
            () ->
                ReleaseRecorder.open(
                    Optional.empty(), options, "grader", "dev", null, "1.0.0", e -> {}))
        .isInstanceOf(FcException.class)
        .hasMessageContaining("fc.record=git needs a gitops/ folder");

    Path gitops = dir.resolve("gitops");
    Files.createDirectories(gitops.resolve("functions"));
    Files.createDirectories(gitops.resolve("environments/dev"));
    Files.writeString(
        gitops.resolve("functions/grader.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Function\nname: grader\nhandler: com.example.G\n");
    Files.writeString(
        gitops.resolve("functions/other.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Function\nname: other\nhandler: com.example.O\n");
    Files.writeString(
        gitops.resolve("environments/dev/environment.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Environment\nname: dev\nplatform:\n  type: local\n"
            + "functions:\n  other:\n    releases: []\n");
    assertThatThrownBy(
            () ->
                ReleaseRecorder.open(
                    Optional.of(gitops), options, "grader", "dev", null, "1.0.0", e -> {}))
        .isInstanceOf(FcException.class)
        .hasMessageContaining("function grader is not declared in")
        .satisfies(e -> assertThat(((FcException) e).hint()).contains("add it under 'functions:'"));

    Files.writeString(
        gitops.resolve("environments/dev/environment.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Environment\nname: dev\nplatform:\n  type: local\n"
            + "functions:\n  other:\n    releases: []\n  grader:\n    releases:\n"
            + "      - id: known\n        image: grader@"
            + DIGEST
            + "\n      - id: moving\n        image: 127.0.0.1:5000/grader:dev\n"
            + "    aliases:\n      - name: dev\n        release: moving\n"
            + "      - name: pinned\n        release: known\n");
    assertThatThrownBy(
            () ->
                ReleaseRecorder.open(
                    Optional.of(gitops), options, "grader", "dev", "bad id!", "1.0.0", e -> {}))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("release: 'bad id!': release id must be 1-63 letters");
    ReleaseRecorder recorder =
        ReleaseRecorder.open(
            Optional.of(gitops), options, "grader", "dev", " 2026-11-23.1 ", "1.0.0", e -> {});
    assertThat(recorder.releaseId(DIGEST)).isEqualTo("2026-11-23.1");
    ReleaseRecorder byDefault =
        ReleaseRecorder.open(Optional.of(gitops), options, "grader", "dev", null, "1.0.0", e -> {});
    assertThat(byDefault.releaseId(DIGEST)).isEqualTo("known");
    assertThat(byDefault.releaseId("sha256:" + "ab".repeat(32))).isEqualTo("1.0.0-abababababab");
    // Published under the tag release the alias still points at, so the base branch's plan maps it
    assertThat(byDefault.publishId("sha256:" + "ab".repeat(32))).isEqualTo("moving");
    ReleaseRecorder onPinned =
        ReleaseRecorder.open(
            Optional.of(gitops), options, "grader", "pinned", null, "1.0.0", e -> {});
    assertThat(onPinned.publishId("sha256:" + "ab".repeat(32))).isEqualTo("1.0.0-abababababab");
  }
}
