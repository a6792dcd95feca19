package io.fctoolkit.core.gitops;

import static io.fctoolkit.core.gitops.Fixtures.PROD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.TriggerSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerApplierTest {

  /** An image no environment declares. */
  static final String HOTFIX = Fixtures.D3.replace('e', 'f');

  @TempDir Path dir;
  Path root;
  InMemoryPlatform platform = new InMemoryPlatform();
  List<FcEvent> events = new ArrayList<>();

  @BeforeEach
  void setUp() {
    root = Fixtures.copyValid(dir.resolve("gitops"));
  }

  private Plan plan(String env) {
    return new Planner(GitOpsRepository.open(root)).plan(env, platform);
  }

  private ApplyReport apply(String env) {
    return Applier.apply(root, env, platform, events::add);
  }

  private FunctionState grader() {
    return platform.describe("grader").orElseThrow();
  }

  @Test
  void apply_onEmptyPlatform_publishesMovesAliasCreatesTrigger_andSecondApplyDoesNothing() {
    // When
    ApplyReport first = apply("prod");

    // Then
    assertThat(first.succeeded()).isTrue();
    assertThat(platform.calls())
        .containsExactly(
            "publish grader 2026-11-21.1",
            "putAlias grader/prod v1",
            "putTrigger grader/submissions -> prod");
    TriggerSpec trigger = grader().trigger("submissions").orElseThrow();
    assertThat(trigger.bootstrapServers()).isEqualTo("kafka-0.kafka:9092");
    assertThat(trigger.consumerGroup()).isEqualTo("fc-grader-submissions");
    assertThat(grader().versions().get(0).releaseId()).isEqualTo("2026-11-21.1");
    assertThat(grader().versions().get(0).config().env())
        .containsEntry("GRADER_PHOTO_TOKEN", "${secret:grader-photos/token}");

    // When applied again
    Plan again = plan("prod");
    ApplyReport second = apply("prod");

    // Then
    assertThat(again.hasChanges()).isFalse();
    assertThat(PlanRenderer.text(again)).contains("No changes: the platform matches Git");
    assertThat(second.steps()).isEmpty();
    assertThat(platform.calls()).hasSize(3);
  }

  @Test
  void plan_canaryPromotion_showsPublishAndWeightChange_inTextMarkdownAndJson() throws Exception {
    apply("prod");
    Fixtures.replace(
        root,
        PROD,
        "        image: 127.0.0.1:5000/fc/grader@" + Fixtures.D1 + "   # built by CI run 41\n",
        "        image: 127.0.0.1:5000/fc/grader@"
            + Fixtures.D1
            + "   # built by CI run 41\n"
            + "      - id: 2026-11-22.1\n        image: 127.0.0.1:5000/fc/grader@"
            + Fixtures.D2
            + "\n");
    Fixtures.replace(
        root,
        PROD,
        "        release: 2026-11-21.1\n",
        "        release: 2026-11-21.1\n        canaryRelease: 2026-11-22.1\n        weight: 10\n"
            + "        affinity: key\n");

    // When
    Plan plan = plan("prod");

    // Then
    assertThat(plan.publishes()).extracting(p -> p.release().id()).containsExactly("2026-11-22.1");
    assertThat(plan.aliases()).hasSize(1);
    Plan.AliasChange change = plan.aliases().get(0);
    assertThat(change.kind()).isEqualTo(Plan.Kind.UPDATE);
    assertThat(change.describe())
        .isEqualTo("2026-11-21.1 -> 2026-11-21.1 + canary 2026-11-22.1 at 10% (key affinity)");
    assertThat(change.expectedRevision()).isEqualTo(1);
    assertThat(plan.triggers()).isEmpty();
    assertThat(PlanRenderer.text(plan))
        .contains("+ publish  grader release 2026-11-22.1")
        .contains("~ alias    grader/prod  2026-11-21.1 -> 2026-11-21.1 + canary 2026-11-22.1")
        .contains("2 changes.");
    assertThat(PlanRenderer.markdown(plan))
        .startsWith("<!-- fc-toolkit-plan:prod -->\n### fc-toolkit plan for `prod`")
        .contains("| 🔁 alias | `grader/prod` |");
    JsonNode json = new ObjectMapper().readTree(PlanRenderer.json(plan));
    assertThat(json.get("changes").asInt()).isEqualTo(2);
    assertThat(json.at("/aliases/0/to/weight").decimalValue()).isEqualByComparingTo("10");
    assertThat(json.at("/aliases/0/to/affinity").asText()).isEqualTo("key");

    // When applied
    ApplyReport report = apply("prod");

    // Then
    assertThat(report.succeeded()).isTrue();
    AliasTarget target = grader().alias("prod").orElseThrow().target();
    assertThat(target).isEqualTo(AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY));
    assertThat(plan("prod").hasChanges()).isFalse();
  }

  @Test
  void plan_triggerGroupChange_isFlaggedAsOffsetReset_butMaxInFlightIsNot() {
    apply("prod");
    Fixtures.replace(root, Fixtures.GRADER, "    maxInFlight: 32\n", "    maxInFlight: 64\n");

    Plan plan = plan("prod");

    assertThat(plan.triggers()).hasSize(1);
    assertThat(plan.triggers().get(0).changedFields()).containsExactly("maxInFlight");
    assertThat(plan.triggers().get(0).resetsOffsets()).isFalse();
    assertThat(PlanRenderer.text(plan)).contains("maxInFlight 32 -> 64").doesNotContain("!!");

    Fixtures.replace(
        root,
        Fixtures.GRADER,
        "    maxInFlight: 64\n",
        "    maxInFlight: 64\n    consumerGroup: grader-v2\n");
    plan = plan("prod");

    assertThat(plan.triggers().get(0).changedFields())
        .containsExactlyInAnyOrder("maxInFlight", "consumerGroup");
    assertThat(plan.triggers().get(0).resetsOffsets()).isTrue();
    assertThat(PlanRenderer.text(plan))
        .contains("!! grader/submissions will read from consumer group grader-v2");
    assertThat(PlanRenderer.markdown(plan)).contains("resets consumer offsets");
  }

  @Test
  void plan_functionConfigChange_republishesEveryReleaseAsNewContent() {
    apply("prod");
    Fixtures.replace(root, Fixtures.GRADER, "  memoryMb: 512\n", "  memoryMb: 1024\n");

    Plan plan = plan("prod");

    // Same digest, new configuration: a new version, never a change behind the alias.
    assertThat(plan.publishes()).extracting(p -> p.release().id()).containsExactly("2026-11-21.1");
    assertThat(plan.aliases()).hasSize(1);
    assertThat(apply("prod").succeeded()).isTrue();
    assertThat(grader().alias("prod").orElseThrow().target().version()).isEqualTo(2);
  }

  @Test
  void drift_aliasMovedOutsideGit_failPolicyRefusesAndAppliesNothing() {
    apply("prod");
    publishOutsideGitAndMoveProd();
    int callsBefore = platform.calls().size();

    Plan plan = plan("prod");

    assertThat(plan.drift()).hasSize(1);
    assertThat(plan.drift().get(0).description())
        .isEqualTo("points at v2, which no release in Git maps to");
    assertThat(plan.drift().get(0).action()).isEqualTo("blocks apply (driftPolicy fail)");
    assertThat(plan.refusal()).contains("changed outside Git");
    assertThatThrownBy(() -> apply("prod"))
        .isInstanceOf(GitOpsPlanRefusedException.class)
        .hasMessageContaining("nothing was applied to prod");
    assertThat(platform.calls()).hasSize(callsBefore);
  }

  @Test
  void drift_overwritePolicy_movesAliasBackAndDeletesUnknownTrigger() {
    Fixtures.replace(root, PROD, "driftPolicy: fail", "driftPolicy: overwrite");
    apply("prod");
    publishOutsideGitAndMoveProd();
    platform.putTrigger(
        TriggerSpec.builder("manual", "grader", "prod", "other").allowDrop(true).build());

    Plan plan = plan("prod");

    assertThat(plan.drift()).extracting(Plan.Drift::kind).containsExactly("alias", "trigger");
    assertThat(plan.aliases().get(0).fromDrift()).isTrue();
    ApplyReport report = apply("prod");
    assertThat(report.succeeded()).isTrue();
    assertThat(grader().alias("prod").orElseThrow().target()).isEqualTo(AliasTarget.of(1));
    assertThat(grader().trigger("manual")).isEmpty();
    assertThat(plan("prod").drift()).isEmpty();
  }

  @Test
  void drift_reportPolicy_leavesDriftedObjectsAndAppliesTheRest() {
    Fixtures.replace(root, PROD, "driftPolicy: fail", "driftPolicy: report");
    apply("prod");
    publishOutsideGitAndMoveProd();
    Fixtures.replace(root, Fixtures.GRADER, "    maxInFlight: 32\n", "    maxInFlight: 50\n");

    ApplyReport report = apply("prod");

    assertThat(report.succeeded()).isTrue();
    assertThat(report.steps())
        .extracting(ApplyReport.Step::description)
        .containsExactly("update trigger grader/submissions (topic submissions -> alias prod)");
    assertThat(grader().alias("prod").orElseThrow().target()).isEqualTo(AliasTarget.of(2));
    assertThat(events).extracting(FcEvent::message).anyMatch(m -> m.contains("drift in prod"));
  }

  @Test
  void apply_failingMidway_reportsAppliedAndNotApplied_andRerunCompletes() {
    platform.failNext(
        "putAlias",
        new PlatformUnavailableException(
            "127.0.0.1:8765", "runtime not answering", "start it", null));

    ApplyReport report = apply("prod");

    assertThat(report.succeeded()).isFalse();
    assertThat(report.steps())
        .extracting(ApplyReport.Step::status)
        .containsExactly(
            ApplyReport.Status.APPLIED,
            ApplyReport.Status.FAILED,
            ApplyReport.Status.NOT_ATTEMPTED);
    assertThat(report.steps().get(1).error()).contains("runtime not answering");
    assertThat(report.toText())
        .contains("[applied] publish grader release 2026-11-21.1 (version 1)")
        .contains("[failed] create alias grader/prod")
        .contains("[not attempted] create trigger grader/submissions")
        .contains("1 of 3 step(s) applied; run apply again");
    assertThatThrownBy(report::throwIfFailed).isInstanceOf(GitOpsApplyException.class);

    ApplyReport rerun = apply("prod");

    assertThat(rerun.succeeded()).isTrue();
    assertThat(rerun.steps())
        .extracting(ApplyReport.Step::description)
        .containsExactly(
            "create alias grader/prod: (new) -> 2026-11-21.1 (revision 1)",
            "create trigger grader/submissions (topic submissions -> alias prod)");
    assertThat(plan("prod").hasChanges()).isFalse();
  }

  @Test
  void apply_aliasChangedBetweenPlanAndApply_failsWithConflictAndKeepsTheOtherChange() {
    apply("prod");
    Fixtures.replace(
        root,
        PROD,
        "        release: 2026-11-21.1\n",
        "        release: 2026-11-21.1\n        canaryRelease: 2026-11-22.1\n        weight: 5\n");
    Fixtures.replace(
        root,
        PROD,
        "    aliases:\n",
        "      - id: 2026-11-22.1\n        image: r/g@" + Fixtures.D2 + "\n    aliases:\n");
    Plan plan = plan("prod");
    // Another pipeline moves the alias after the plan was made.
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 1L));

    ApplyReport report =
        new Applier(GitOpsRepository.open(root), events::add).apply(plan, platform);

    assertThat(report.steps().get(1).status()).isEqualTo(ApplyReport.Status.FAILED);
    assertThat(report.steps().get(1).error())
        .contains("expected revision 1 but it is at revision 2");
  }

  @Test
  void capabilities_decimalWeightRounded_keyAffinityAndKeyOrderingRefused() {
    platform = new InMemoryPlatform(new PlatformCapabilities(false, false, true, false));
    apply("prod");
    Fixtures.replace(
        root,
        PROD,
        "    aliases:\n",
        "      - id: 2026-11-22.1\n        image: r/g@" + Fixtures.D2 + "\n    aliases:\n");
    Fixtures.replace(
        root,
        PROD,
        "        release: 2026-11-21.1\n",
        "        release: 2026-11-21.1\n        canaryRelease: 2026-11-22.1\n        weight: 2.5\n");

    Plan plan = plan("prod");
    assertThat(plan.warnings())
        .containsExactly(
            "grader alias prod: weight 2.5% is rounded to 3% because this platform has no decimal"
                + " weights");
    assertThat(apply("prod").succeeded()).isTrue();
    assertThat(grader().alias("prod").orElseThrow().target().canaryWeight())
        .isEqualByComparingTo("3");

    Fixtures.replace(
        root, PROD, "        weight: 2.5\n", "        weight: 2.5\n        affinity: key\n");
    platform = new InMemoryPlatform(new PlatformCapabilities(true, false, false, false));
    Plan refused = plan("prod");
    assertThat(refused.errors()).hasSize(2);
    assertThat(refused.errors().get(0)).contains("affinity key is not supported");
    assertThat(refused.errors().get(1)).contains("ordering key is not supported");
    assertThatThrownBy(() -> apply("prod")).isInstanceOf(GitOpsPlanRefusedException.class);
    assertThat(platform.calls()).isEmpty();
  }

  @Test
  void disabledTriggerBinding_deletesTheTrigger() {
    apply("prod");
    Fixtures.replace(
        root, PROD, "        alias: prod\n", "        alias: prod\n        enabled: false\n");

    Plan plan = plan("prod");

    assertThat(plan.triggers())
        .extracting(Plan.TriggerChange::kind)
        .containsExactly(Plan.Kind.DELETE);
    assertThat(plan.drift()).isEmpty();
    assertThat(apply("prod").succeeded()).isTrue();
    assertThat(grader().triggers()).isEmpty();
  }

  @Test
  void localTagOnlyRelease_isMatchedByReleaseId_orRefusedWhenNotLive() {
    pointDevAtATagRelease();

    Plan refused = plan("dev");
    assertThat(refused.errors())
        .singleElement()
        .asString()
        .contains("release snapshot names its image by tag")
        .contains("deploy it (a deploy publishes the image");

    // fc:deploy publishes the archive it built for the release id; the plan then maps it.
    publishAsFcDeployDoes();
    Plan plan = plan("dev");
    assertThat(plan.errors()).isEmpty();
    assertThat(plan.aliases().get(0).version()).isEqualTo(1);
  }

  @Test
  void aliasMovedFromTheDeployedTagReleaseToItsRecordedDigest_isNoChange() {
    // Given dev's alias on a tag release that fc:deploy published: the bytes of 2026-11-22.2
    pointDevAtATagRelease();
    publishAsFcDeployDoes();
    assertThat(apply("dev").succeeded()).isTrue();
    Alias before = grader().alias("dev").orElseThrow();
    assertThat(before.target()).isEqualTo(AliasTarget.of(1));
    // v1 is also the content of the pinned 2026-11-22.2, listed first: still no change
    assertThat(plan("dev").aliases()).isEmpty();

    // When the recorded release (fc:deploy -Dfc.record=git) takes the alias over
    Fixtures.replace(
        root, Fixtures.DEV, "        release: snapshot\n", "        release: 2026-11-22.2\n");

    // Then both ids name v1: nothing to change, and apply makes no call
    Plan plan = plan("dev");
    assertThat(plan.aliases()).isEmpty();
    assertThat(plan.hasChanges()).isFalse();
    int calls = platform.calls().size();
    assertThat(apply("dev").applied()).isEmpty();
    assertThat(platform.calls()).hasSize(calls);
    assertThat(grader().alias("dev").orElseThrow()).isEqualTo(before);
  }

  /** dev's alias on release {@code snapshot}, named by tag (allowed on local). */
  private void pointDevAtATagRelease() {
    Fixtures.replace(
        root, Fixtures.DEV, "        release: 2026-11-22.2\n", "        release: snapshot\n");
    Fixtures.replace(
        root,
        Fixtures.DEV,
        "    aliases:\n",
        "      - id: snapshot\n        image: 127.0.0.1:5000/fc/grader:dev\n    aliases:\n");
  }

  /** What fc:deploy does: publish the archive it built (the bytes of 2026-11-22.2) as snapshot. */
  private void publishAsFcDeployDoes() {
    FunctionSpec grader = GitOpsRepository.open(root).function("grader");
    platform.publish(
        new PublishRequest(
            grader.config(),
            new ImageSource.Archive(dir.resolve("image.tar"), Fixtures.D3, "grader"),
            "snapshot"));
  }

  private void publishOutsideGitAndMoveProd() {
    FunctionSpec grader = GitOpsRepository.open(root).function("grader");
    platform.publish(
        new PublishRequest(
            grader.config(),
            new ImageSource.Registry(ImageRef.parse("r/g@" + HOTFIX), false),
            "hotfix"));
    Alias prod = grader().alias("prod").orElseThrow();
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(2), prod.revision()));
  }
}
