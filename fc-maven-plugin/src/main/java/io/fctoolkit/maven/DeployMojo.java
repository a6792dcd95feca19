package io.fctoolkit.maven;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.maven.internal.DeployFlow;
import io.fctoolkit.maven.internal.DeployRollout;
import io.fctoolkit.maven.internal.DeploySummary;
import io.fctoolkit.maven.internal.DirectChanges;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ReleaseRecorder;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Deploys the function: builds the image if its inputs changed, connects (to the local runtime,
 * started in the background when none answers, or with {@code -Dfc.env=<env>} to the platform that
 * environment's gitops file binds), publishes a version (the same image and configuration publish
 * no new version), moves the alias to it (the platform prepares the new version before traffic
 * moves), applies the triggers of {@code gitops/} and prints a summary with the time of each step.
 * Skipped with {@code -Dfc.deploy.skip=true}.
 *
 * <p>On Knative ({@code platform: knative} in the environment file) the image must go to a registry
 * ({@code <image>} / {@code -Dfc.image}): the version is revision {@code <function>-v<N>} pinned by
 * digest, the alias is a traffic tag, triggers are KafkaSources, and the summary's invoke URL is
 * the tag's address.
 *
 * <p>Direct changes outside Git: {@code local} and environments whose file says {@code driftPolicy:
 * overwrite} (scratch space Git resets anyway) are deployed to directly; an environment whose file
 * says {@code fail} or {@code report} keeps Git as its record (production: DESIGN.md sections 3-4),
 * so a deploy there is refused unless {@code -Dfc.direct=true} says it is meant, and then warns
 * that Git no longer describes the environment.
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

  /**
   * Whether the deploy rolls the new version out step by step instead of moving the alias at once:
   * {@code auto} (where the environment's file gives the alias a {@code rollout:} strategy: the
   * {@code fc.env} environment, or {@code dev} of {@code gitops/} on the local runtime), {@code
   * true} (always; the file's strategy, else the defaults) or {@code false} (never). The rollout
   * sends the function's smoke fixtures ({@code gitops/functions/<fn>/smoke/*.json}) first; the
   * deploy returns once it started, and {@code fc:rollout} follows it.
   *
   * <pre>
   * &lt;rollout&gt;true&lt;/rollout&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.rollout", defaultValue = "auto")
  String rollout;

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
    Hints.aliasName(alias);
    Optional<EnvironmentSpec> environment = targetEnvironment();
    ReleaseRecorder.requireDevTarget(record, environment.isPresent() ? env : "local");
    Optional<GitOpsRepository> gitops = gitopsFolder().map(this::gitopsRepository);
    Optional<DeployRollout> rolloutPlan =
        DeployRollout.choose(
            rollout,
            gitops.orElse(null),
            environment.or(() -> gitops.map(r -> r.environments().get("dev"))).orElse(null),
            name,
            alias);
    Optional<ReleaseRecorder> recorder = GitVia.recorder(this, fc, record, name, alias);
    ImageBuildRequest request = imageRequest(fc, config.handler());
    environment.ifPresent(
        e -> DeployFlow.requireRegistryTarget(e, request.target() instanceof ImageTarget.Archive));
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
      String releaseId =
          recorder.isPresent()
              ? recorder.get().publishId(image.digest())
              : environment.isPresent()
                  ? DeployFlow.releaseId(environment.get(), name, alias, image.digest())
                  : devReleaseId(name, alias).orElse(null);
      DeployFlow.Result result =
          new DeployFlow(platform, fc.events(), steps(fc))
              .run(
                  new DeployFlow.Request(
                      config,
                      image,
                      releaseId,
                      alias,
                      DeployFlow.triggers(spec, environment.orElse(null), alias),
                      rolloutPlan.orElse(null)));
      recorder.ifPresent(
          r -> GitVia.record(this, fc, r, image, result.published(), platform.target()));
      environment
          .map(e -> DirectChanges.driftWarning(e, goal()))
          .ifPresent(warning -> getLog().warn(warning));
      DeploySummary.lines(
              name,
              result.published(),
              image.digest(),
              result.alias(),
              result.triggers(),
              result.invokeUrl(),
              fc.steps())
          .forEach(line -> getLog().info(line));
      if (result.rollout() != null) {
        getLog()
            .info(
                "Follow the rollout with: mvn fc:rollout -Dfc.alias="
                    + alias
                    + (environment.isPresent() ? " -Dfc.env=" + env : "")
                    + " (-Dfc.rollout.action=abort moves the alias back at once)");
      }
    }
  }

  /** The flow's steps, timed by the goal's context. */
  private static DeployFlow.Steps steps(FcContext fc) {
    return new DeployFlow.Steps() {
      @Override
      public <T> T step(String stepName, Supplier<T> work) {
        return fc.step(stepName, work);
      }
    };
  }

  private Platform connect(FcContext fc) {
    try {
      return platform(fc, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FcException("interrupted while connecting to the platform", null, e);
    }
  }
}
