package io.fctoolkit.maven;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.TriggerDecl;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.maven.internal.DeploySummary;
import io.fctoolkit.maven.internal.ReleaseRecorder;
import io.fctoolkit.runtime.LocalPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Deploys the function to the local runtime: builds the image if its inputs changed, connects
 * (starting the runtime in the background when none answers), publishes a version (the same image
 * and configuration publish no new version), moves the development alias to it (the runtime warms
 * the new version before traffic moves), applies the triggers of {@code gitops/} and prints a
 * summary with the time of each step. Skipped with {@code -Dfc.deploy.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(
    name = "deploy",
    defaultPhase = LifecyclePhase.DEPLOY,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class DeployMojo extends AbstractFunctionMojo {

  /**
   * The alias to move to the new version.
   *
   * <pre>
   * &lt;alias&gt;dev&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias", defaultValue = "dev")
  String alias;

  /**
   * Where the deploy records its build: {@code none}, or {@code git}: after publishing, the release
   * (the built image by digest, id {@code -Dfc.release=<id>} or {@code <project version>-<12 hex of
   * the digest>}) is added to {@code gitops/environments/dev/environment.yaml} and the alias moved
   * to it, as a commit on branch {@code fc/release/dev/<function>/<id>} built from the base branch
   * (the working tree is not touched), pushed when the remote exists, for a pull request. Untouched
   * lines and comments stay as they are. Same options as {@code fc:promote -Dfc.via=git}: {@code
   * fc.git.remote} (origin), {@code fc.git.baseBranch} (the checked-out branch), {@code
   * fc.git.push} (true). Deploying the same build again records nothing new.
   *
   * <pre>
   * &lt;configuration&gt;
   *   &lt;record&gt;git&lt;/record&gt;
   * &lt;/configuration&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.record", defaultValue = "none")
  String record;

  @Override
  String goal() {
    return "deploy";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name =
        io.fctoolkit.maven.internal.ImageRequests.functionName(function, project.getArtifactId());
    Optional<FunctionSpec> spec = gitopsFunction(name);
    FunctionConfig config = functionConfig(name, spec);
    Alias.checkName(alias);
    Optional<ReleaseRecorder> recorder = GitVia.recorder(this, fc, record, name, alias);
    ImageBuildRequest request = imageRequest(fc, config.handler());
    FunctionImageBuilder builder = new FunctionImageBuilder(fc.events());

    ImageSource image =
        fc.step(
            "build",
            () -> {
              Optional<String> upToDate = builder.upToDateDigest(request);
              if (upToDate.isPresent() && request.target() instanceof ImageTarget.Archive archive) {
                fc.events()
                    .accept(
                        FcEvent.lifecycle(
                            "Image unchanged since the last build (" + upToDate.get() + ")"));
                return new ImageSource.Archive(archive.tarball(), upToDate.get(), name);
              }
              return builder.build(request).toImageSource();
            });
    try (Platform platform = fc.step("connect", () -> connect(fc))) {
      fc.events().accept(FcEvent.lifecycle("Publishing to " + platform.target()));
      String releaseId =
          recorder.isPresent()
              ? recorder.get().publishId(image.digest())
              : devReleaseId(name, alias).orElse(null);
      PublishResult published =
          fc.step("publish", () -> platform.publish(new PublishRequest(config, image, releaseId)));
      int version = published.version().number();
      fc.events()
          .accept(
              FcEvent.lifecycle(
                  published.created()
                      ? "Published version " + version
                      : "No new version: v"
                          + version
                          + " already has this image and configuration"));
      Alias moved = fc.step("alias", () -> moveAlias(fc, platform, name, version));
      List<String> triggers = fc.step("triggers", () -> applyTriggers(fc, platform, name, spec));
      if (!triggers.isEmpty()) {
        triggers = withLag(fc, platform, name, triggers);
      }
      recorder.ifPresent(r -> GitVia.record(this, fc, r, image, published, platform.target()));
      String invokeUrl =
          platform instanceof LocalPlatform local
              ? local.uri().resolve("/invoke/" + name + "/" + alias).toString()
              : null;
      DeploySummary.lines(name, published, image.digest(), moved, triggers, invokeUrl, fc.steps())
          .forEach(line -> getLog().info(line));
    }
  }

  private Platform connect(FcContext fc) {
    try {
      return platform(fc, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FcException("interrupted while connecting to the local runtime", null, e);
    }
  }

  private Alias moveAlias(FcContext fc, Platform platform, String name, int version) {
    Optional<Alias> current =
        platform.describe(name).flatMap((FunctionState state) -> state.alias(alias));
    AliasTarget target = AliasTarget.of(version);
    if (current.isPresent() && current.get().target().equals(target)) {
      fc.events().accept(FcEvent.lifecycle("Alias " + alias + " already points at v" + version));
      return current.get();
    }
    // The revision we saw: if another pipeline moves the alias meanwhile, the runtime refuses.
    long expected = current.map(Alias::revision).orElse(0L);
    Alias moved = platform.putAlias(new AliasUpdate(name, alias, target, expected));
    fc.events()
        .accept(
            FcEvent.lifecycle(
                "Moved alias "
                    + alias
                    + " to v"
                    + version
                    + current.map(a -> " (was " + a.target() + ")").orElse(" (new alias)")));
    return moved;
  }

  /** Adds each trigger's total lag, as far as the platform reports it yet. */
  private List<String> withLag(
      FcContext fc, Platform platform, String name, List<String> triggers) {
    try {
      FunctionMetrics metrics = platform.metrics(name);
      List<String> out = new ArrayList<>();
      for (String trigger : triggers) {
        String triggerName = trigger.substring(0, trigger.indexOf(' '));
        Optional<TriggerStatus> status =
            metrics.triggers().stream().filter(t -> t.trigger().equals(triggerName)).findFirst();
        out.add(
            status
                .map(
                    s ->
                        trigger
                            + " lag "
                            + s.partitions().stream().mapToLong(PartitionStatus::lag).sum()
                            + " ("
                            + s.state()
                            + ")")
                .orElse(trigger));
      }
      return out;
    } catch (FcException e) {
      fc.events().accept(FcEvent.info("no trigger lag: " + e.getMessage()));
      return triggers;
    }
  }

  private List<String> applyTriggers(
      FcContext fc, Platform platform, String name, Optional<FunctionSpec> spec) {
    List<String> applied = new ArrayList<>();
    if (spec.isEmpty()) {
      return applied;
    }
    for (TriggerDecl trigger : spec.get().triggers()) {
      TriggerSpec wanted = trigger.toSpec(name, alias, null);
      try {
        platform.putTrigger(wanted);
        applied.add(trigger.name() + " (topic " + trigger.topic() + " -> " + alias + ")");
      } catch (FcException e) {
        fc.events()
            .accept(FcEvent.warn("Trigger " + trigger.name() + " not applied: " + e.describe()));
        applied.add(trigger.name() + " NOT applied: " + e.getMessage());
      }
    }
    return applied;
  }
}
