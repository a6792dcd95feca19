package io.fctoolkit.maven;

import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitAuth;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.maven.internal.Dependency;
import io.fctoolkit.maven.internal.DirectChanges;
import io.fctoolkit.maven.internal.FunctionConfigs;
import io.fctoolkit.maven.internal.GitCredentials;
import io.fctoolkit.maven.internal.GitOpsRequests;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.LocalRuntime;
import io.fctoolkit.maven.internal.MavenEventLog;
import io.fctoolkit.maven.internal.MavenVersionCheck;
import io.fctoolkit.maven.internal.MojoErrors;
import io.fctoolkit.maven.internal.PlatformConnections;
import io.fctoolkit.maven.internal.PlatformSupport;
import io.fctoolkit.maven.internal.ProjectLayout;
import io.fctoolkit.maven.internal.PropertyWarnings;
import io.fctoolkit.maven.internal.RuntimeClasspath;
import io.fctoolkit.runtime.RuntimeOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.rtinfo.RuntimeInformation;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.eclipse.aether.RepositorySystem;

/**
 * The frame of every fc goal: skip handling, the {@link FcContext}, and the one place where
 * failures become Maven exceptions (configuration mistakes fail the build, environment problems are
 * errors; the cause is always kept).
 */
public abstract class AbstractFcMojo extends AbstractMojo {

  /** The artifact that holds the function host; the plugin depends on it. */
  static final String HOST_KEY = "io.fctoolkit:fc-host";

  /** The Functions Framework API, which the host serves functions through. */
  static final String API_KEY = "com.google.cloud.functions:functions-framework-api";

  /**
   * Skips every fc goal. A single goal is skipped with {@code -Dfc.<goal>.skip=true} (for example
   * {@code fc.deploy.skip}), also settable as a project property.
   *
   * <pre>
   * &lt;skip&gt;true&lt;/skip&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.skip", defaultValue = "false")
  boolean skip;

  /**
   * The function's name: lower case letters, digits and '-', starting with a letter, at most 50
   * characters. Defaults to the artifact id.
   *
   * <pre>
   * &lt;function&gt;grader&lt;/function&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.function")
  String function;

  /**
   * The environment to work on. {@code local} (the default) is the embedded local runtime on this
   * machine; any other name is an environment of {@code gitops/environments/}, reached through the
   * platform its file binds (the local runtime, or Knative through the file's kube context and
   * namespace). {@code fc:deploy}, {@code fc:promote} and {@code fc:rollback} change such an
   * environment directly only when its file says {@code driftPolicy: overwrite} or with {@code
   * -Dfc.direct=true}; otherwise its changes go through Git ({@code -Dfc.via=git}, {@code fc:plan},
   * {@code fc:apply}).
   *
   * <pre>
   * &lt;env&gt;local&lt;/env&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.env", defaultValue = "local")
  String env;

  /**
   * Lets {@code fc:deploy}, {@code fc:promote} and {@code fc:rollback} change an environment of
   * {@code gitops/} whose file keeps Git as the record ({@code driftPolicy: fail} or {@code
   * report}, e.g. production). Git then no longer describes that environment until a commit records
   * the change; the next {@code fc:apply} stops ({@code fail}) or reports ({@code report}) the
   * drift. Environments with {@code driftPolicy: overwrite} and {@code local} need no opt-in.
   *
   * <pre>
   * &lt;direct&gt;true&lt;/direct&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.direct", defaultValue = "false")
  boolean direct;

  /**
   * Where the local runtime is. Also {@code -Dfc.runtime.url}, {@code -Dfc.runtime.stateDir} and
   * {@code -Dfc.runtime.port}.
   *
   * <pre>
   * &lt;runtime&gt;
   *   &lt;url&gt;http://127.0.0.1:8765&lt;/url&gt;
   *   &lt;stateDir&gt;${user.home}/.fc-toolkit/local&lt;/stateDir&gt;
   *   &lt;port&gt;8765&lt;/port&gt;
   * &lt;/runtime&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter RuntimeConfig runtime;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  /** Resolves what goals load on demand: the local runtime's classpath, Knative support. */
  @Component RepositorySystem repositorySystem;

  /** The goal's name, e.g. {@code build}. */
  abstract String goal();

  /** Does the goal's work; anything it throws is mapped by {@link MojoErrors}. */
  abstract void run(FcContext fc) throws Exception;

  /** Decrypts settings.xml passwords ({@code mvn --encrypt-password}) of the Git server entry. */
  @Component SettingsDecrypter settingsDecrypter;

  /**
   * The credentials of Git pushes and fetches ({@link GitCredentials}): a token from {@code
   * -Dfc.git.token}, settings.xml, {@code FC_GIT_TOKEN} or {@code GITHUB_TOKEN}; SSH from {@code
   * ~/.ssh}.
   */
  GitAuth gitAuth() {
    String id = GitCredentials.serverId(lookup("fc.git.serverId"));
    GitCredentials.Server entry = null;
    Server server = session == null ? null : session.getSettings().getServer(id);
    if (server != null) {
      if (settingsDecrypter != null) {
        SettingsDecryptionResult decrypted =
            settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        // A problem names the server, never the password: Maven words it so.
        decrypted.getProblems().forEach(p -> getLog().warn("settings.xml: " + p.getMessage()));
        if (decrypted.getServer() != null) {
          server = decrypted.getServer();
        }
      }
      entry = new GitCredentials.Server(id, server.getUsername(), server.getPassword());
    }
    return GitCredentials.resolve(
        lookup("fc.git.token"), lookup("fc.git.username"), entry, System.getenv());
  }

  /** The running Maven's version, for the requirement check. */
  @Component RuntimeInformation runtimeInformation;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  MojoExecution mojoExecution;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (runtimeInformation != null) {
      Optional<String> old =
          MavenVersionCheck.problem(
              runtimeInformation.getMavenVersion(), MavenVersionCheck.required());
      if (old.isPresent()) {
        throw new MojoFailureException(old.get());
      }
    }
    PropertyWarnings.warn(session, plugin, project, mojoExecution, goal(), getLog());
    String reason = skipReason(skip, goal(), lookup("fc." + goal() + ".skip"));
    if (reason != null) {
      getLog().info(skipMessage(goal(), reason));
      return;
    }
    MavenEventLog log = new MavenEventLog(getLog(), liveFooter() ? System.out : null);
    try (FcContext fc = new FcContext(log, layout())) {
      run(fc);
    } catch (Exception e) {
      Exception mapped = MojoErrors.map(goal(), e);
      if (mapped instanceof MojoFailureException failure) {
        throw failure;
      }
      throw (MojoExecutionException) mapped;
    }
  }

  /** The skip switch that applies, or null: {@code fc.skip} first, then {@code fc.<goal>.skip}. */
  static String skipReason(boolean skipAll, String goal, String goalSkipProperty) {
    if (skipAll) {
      return "fc.skip";
    }
    if (Boolean.parseBoolean(goalSkipProperty)) {
      return "fc." + goal + ".skip";
    }
    return null;
  }

  /** {@code Skipping fc:deploy because fc.deploy.skip = true}. */
  static String skipMessage(String goal, String reason) {
    return "Skipping fc:" + goal + " because " + reason + " = true";
  }

  /**
   * A property as Maven resolves {@code ${...}}: user properties ({@code -D}) first, then system
   * properties, then the project's properties.
   */
  String lookup(String name) {
    if (session != null) {
      String value = session.getUserProperties().getProperty(name);
      if (value == null) {
        value = session.getSystemProperties().getProperty(name);
      }
      if (value != null) {
        return value;
      }
    }
    return project == null ? null : project.getProperties().getProperty(name);
  }

  /** A nested parameter's value: the pom's, else its property (as Maven does for flat ones). */
  String nested(String configured, String property) {
    return configured != null && !configured.isBlank() ? configured : lookup(property);
  }

  /** The local runtime's state folder. */
  Path stateDir() {
    String configured =
        nested(runtime == null ? null : runtime.getStateDir(), "fc.runtime.stateDir");
    return configured != null
        ? Path.of(configured).toAbsolutePath()
        : RuntimeOptions.defaultStateDir().toAbsolutePath();
  }

  /** The goals that change a platform, for which {@link DirectChanges} applies. */
  private static final Set<String> CHANGING_GOALS = Set.of("deploy", "promote", "rollback");

  /**
   * The platform of {@code fc.env}: for {@code local}, the local runtime (started in the background
   * when none answers and {@code startIfDown} is set); for any other name, the platform its gitops
   * environment file binds ({@link #connect}), after {@link DirectChanges} allows the goal.
   */
  Platform platform(FcContext fc, boolean startIfDown) throws InterruptedException {
    Optional<EnvironmentSpec> environment = targetEnvironment();
    if (environment.isPresent()) {
      return connect(fc, environment.get(), startIfDown);
    }
    return localRuntime(
        fc,
        stateDir(),
        nested(runtime == null ? null : runtime.getUrl(), "fc.runtime.url"),
        startIfDown);
  }

  /**
   * The gitops environment {@code fc.env} names, or empty for {@code local} (the embedded runtime,
   * whatever gitops/ holds). For goals that change the platform, refuses an environment whose file
   * keeps Git as the record unless {@code fc.direct} is set ({@link DirectChanges}).
   */
  Optional<EnvironmentSpec> targetEnvironment() {
    String name = env == null || env.isBlank() ? "local" : env.trim();
    if (name.equals("local")) {
      return Optional.empty();
    }
    EnvironmentSpec spec = gitopsRepository(gitopsDir()).environment(name);
    if (CHANGING_GOALS.contains(goal())) {
      DirectChanges.check(spec, goal(), direct || Boolean.parseBoolean(lookup("fc.direct")));
    }
    return Optional.of(spec);
  }

  private Path parsedFolder;
  private GitOpsRepository parsed;

  /**
   * The gitops folder parsed (and so validated) once per goal execution: a goal asks for the
   * function file, the target environment and the dev release, and each read costs a full parse.
   */
  synchronized GitOpsRepository gitopsRepository(Path folder) {
    Path key = folder.toAbsolutePath().normalize();
    if (!key.equals(parsedFolder)) {
      parsed = GitOpsRepository.open(folder);
      parsedFolder = key;
    }
    return parsed;
  }

  /**
   * The platform an environment file declares: the local runtime (started in the background when
   * none answers and {@code startIfDown}), or another platform through its {@link
   * PlatformProvider}, e.g. Knative through exactly the file's kube context (the kubeconfig from
   * {@code -Dkubeconfig}, {@code KUBECONFIG} or {@code ~/.kube/config}; a context it lacks is an
   * error, never the current context) and namespace, with the file's Kafka cluster for triggers.
   * {@code -Dfc.runtime.url} / {@code -Dfc.runtime.stateDir} win over the file's local binding. On
   * Knative, {@code -Dfc.knative.readyTimeout=5m} makes publishing wait for the new revision to
   * become Ready (taking it back when it fails); unset or {@code 0} does not wait, and Knative's
   * route still moves traffic only to a Ready revision.
   */
  Platform connect(FcContext fc, EnvironmentSpec spec, boolean startIfDown)
      throws InterruptedException {
    if (!(spec.platform() instanceof PlatformBinding.Local)) {
      String ready = lookup("fc.knative.readyTimeout");
      PlatformConnection connection =
          PlatformConnections.of(
              spec,
              ready == null || ready.isBlank() || ready.trim().equals("0")
                  ? Duration.ZERO
                  : FunctionConfigs.duration("knative.readyTimeout", ready));
      return platformProvider(connection).connect(connection, fc.events());
    }
    PlatformBinding.Local local = (PlatformBinding.Local) spec.platform();
    String configuredState =
        nested(runtime == null ? null : runtime.getStateDir(), "fc.runtime.stateDir");
    Path state =
        configuredState != null
            ? Path.of(configuredState).toAbsolutePath()
            : local.stateDir() != null
                ? GitOpsRequests.stateDir(local.stateDir(), gitopsDir())
                : RuntimeOptions.defaultStateDir().toAbsolutePath();
    String url = nested(runtime == null ? null : runtime.getUrl(), "fc.runtime.url");
    if (url == null) {
      url = local.runtimeUrl();
    }
    return localRuntime(fc, state, url, startIfDown);
  }

  /**
   * The gitops folder as configured: {@code fc.gitops.dir}, else {@code fc.gitops}; goals with a
   * {@code <gitops>} parameter add it.
   */
  String configuredGitops() {
    String configured = lookup("fc.gitops.dir");
    return configured != null ? configured : lookup("fc.gitops");
  }

  /** The gitops folder in use: the configured one, else the nearest {@code gitops/} upwards. */
  Path gitopsDir() {
    return GitOpsRequests.gitopsDir(configuredGitops(), baseDir());
  }

  /** The project's folder, or the current folder when run without a project. */
  Path baseDir() {
    return project != null && project.getBasedir() != null
        ? project.getBasedir().toPath()
        : Path.of("").toAbsolutePath();
  }

  /**
   * The local runtime at {@code url} if given, else the one running on {@code state}; when none
   * answers and {@code startIfDown} is set, one is started in the background on {@code
   * fc.runtime.port}.
   */
  Platform localRuntime(FcContext fc, Path state, String url, boolean startIfDown)
      throws InterruptedException {
    if (url != null) {
      return LocalRuntime.at(URI.create(url), state);
    }
    if (!startIfDown) {
      return LocalRuntime.running(state)
          .orElseThrow(
              () ->
                  new PlatformUnavailableException(
                      state.toString(),
                      "no local runtime runs on this state folder",
                      "start one with mvn fc:local (foreground) or mvn fc:deploy (background)",
                      null));
    }
    return LocalRuntime.connectOrStart(
            state, this::runtimeClasspath, runtimePort(), Duration.ofSeconds(90), fc.events())
        .platform();
  }

  /** The port a local runtime started by this goal listens on: {@code <runtime><port>}. */
  int runtimePort() {
    String port = nested(runtime == null ? null : runtime.getPort(), "fc.runtime.port");
    return port == null ? RuntimeOptions.DEFAULT_PORT : parsePort(port);
  }

  /** A TCP port from 0 (any free port) to 65535, or a failure naming {@code <runtime><port>}. */
  static int parsePort(String text) {
    try {
      int number = Integer.parseInt(text.trim());
      if (number >= 0 && number <= 65535) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below, with the same words as an out-of-range number
    }
    throw Hints.invalidRequest(
        "runtime.port", text, "the runtime port must be a number from 0 (any free port) to 65535");
  }

  /**
   * The classpath a local runtime is started from: fc-runtime of the plugin's own version and its
   * runtime dependencies, resolved now (the plugin's class realm leaves the runtime's Kafka broker
   * out, so that every goal starts faster).
   */
  List<Path> runtimeClasspath() {
    long start = System.nanoTime();
    List<Path> classpath = resolver().resolve(plugin.getVersion());
    getLog()
        .debug(
            "Resolved the local runtime's classpath ("
                + classpath.size()
                + " files) in "
                + (System.nanoTime() - start) / 1_000_000
                + " ms");
    return classpath;
  }

  /**
   * The provider of a platform other than the local runtime, its module ({@code fc-<type>}, e.g.
   * fc-knative with fabric8) resolved and added to the plugin's realm the first time a goal of this
   * build needs it ({@link PlatformSupport}).
   */
  PlatformProvider platformProvider(PlatformConnection connection) {
    String type = connection.type();
    long start = System.nanoTime();
    Set<String> present = new HashSet<>();
    plugin.getArtifacts().forEach(a -> present.add(a.getGroupId() + ":" + a.getArtifactId()));
    int added =
        PlatformSupport.ensureLoaded(
            plugin.getClassRealm(),
            type,
            present,
            () ->
                resolver()
                    .artifacts(
                        PlatformSupport.artifact(type) + ":" + plugin.getVersion(),
                        "use an environment bound to " + type));
    if (added > 0) {
      getLog()
          .debug(
              "Loaded "
                  + type
                  + " support ("
                  + added
                  + " files) in "
                  + (System.nanoTime() - start) / 1_000_000
                  + " ms");
    }
    return PlatformSupport.provider(plugin.getClassRealm(), type, connection.source());
  }

  private RuntimeClasspath resolver() {
    return new RuntimeClasspath(
        repositorySystem, session.getRepositorySession(), project.getRemotePluginRepositories());
  }

  private boolean liveFooter() {
    return MavenEventLog.liveFooter(
        session.getRequest().isInteractiveMode(), System.console() != null, System.getenv());
  }

  private ProjectLayout layout() {
    List<Dependency> runtime = new ArrayList<>();
    for (Artifact artifact : project.getArtifacts()) {
      if (artifact.getFile() != null
          && artifact.getArtifactHandler().isAddedToClasspath()
          && (Artifact.SCOPE_COMPILE.equals(artifact.getScope())
              || Artifact.SCOPE_RUNTIME.equals(artifact.getScope()))) {
        runtime.add(dependency(artifact));
      }
    }
    Path hostJar = null;
    List<Dependency> hostDependencies = new ArrayList<>();
    for (Artifact artifact : plugin.getArtifacts()) {
      String key = artifact.getGroupId() + ":" + artifact.getArtifactId();
      if (key.equals(HOST_KEY)) {
        hostJar = artifact.getFile().toPath();
      } else if (ImageRequests.isHostDependency(key, artifact.getDependencyTrail(), API_KEY)) {
        hostDependencies.add(dependency(artifact));
      }
    }
    if (hostJar == null) {
      throw new IllegalStateException(
          "the plugin's own dependency " + HOST_KEY + " was not resolved; reinstall the plugin");
    }
    return new ProjectLayout(
        project.getArtifactId(),
        Path.of(project.getBuild().getDirectory()),
        Path.of(project.getBuild().getOutputDirectory()),
        runtime,
        hostJar,
        hostDependencies,
        plugin.getVersion(),
        session.isOffline());
  }

  private static Dependency dependency(Artifact artifact) {
    return new Dependency(
        artifact.getGroupId(), artifact.getArtifactId(), artifact.getFile().toPath());
  }
}
