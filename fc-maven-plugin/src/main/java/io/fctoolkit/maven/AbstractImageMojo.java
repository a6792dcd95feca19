package io.fctoolkit.maven;

import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.RegistryCredentials;
import io.fctoolkit.maven.internal.HandlerCheck;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.ImageSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/** The image parameters shared by {@code fc:build} and {@code fc:deploy}. */
public abstract class AbstractImageMojo extends AbstractFcMojo {

  /**
   * The function class, given to the host as {@code FUNCTION_TARGET}: a class implementing {@code
   * HttpFunction}, {@code CloudEventsFunction} or {@code TypedFunction}.
   *
   * <pre>
   * &lt;handler&gt;com.example.Grader&lt;/handler&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.handler")
  String handler;

  /**
   * The registry image to push to, {@code registry/repository[:tag]}. When unset, the image is
   * written as an OCI archive for the local runtime instead. Registries on {@code localhost} or
   * {@code 127.x} may answer plain HTTP; credentials come from a {@code <server>} in settings.xml
   * whose id is the registry host, else from the Docker configuration.
   *
   * <pre>
   * &lt;image&gt;registry.example.com/team/grader&lt;/image&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.image")
  String image;

  /**
   * The base image: {@code scratch} (the default for archives: the local runtime brings its own
   * JDK) or an image reference, best pinned by digest (the default for registries is a Temurin 17
   * JRE pinned by digest). Also {@code -Dfc.from.image}.
   *
   * <pre>
   * &lt;from&gt;
   *   &lt;image&gt;eclipse-temurin:17-jre@sha256:...&lt;/image&gt;
   * &lt;/from&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter From from;

  /**
   * Allows registries that answer plain HTTP or have an unverifiable certificate. Credentials are
   * never sent over plain HTTP. Loopback registries are always allowed.
   *
   * <pre>
   * &lt;allowInsecureRegistries&gt;true&lt;/allowInsecureRegistries&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.allowInsecureRegistries", defaultValue = "false")
  boolean allowInsecureRegistries;

  /**
   * The image's creation time: {@code EPOCH} (the default, as Jib), an ISO-8601 instant or seconds
   * since the epoch. Fixed so that the same inputs give the same digest.
   *
   * <pre>
   * &lt;creationTime&gt;2026-01-01T00:00:00Z&lt;/creationTime&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.creationTime")
  String creationTime;

  /**
   * Where {@code build.json}, the layer cache and the archive go.
   *
   * <pre>
   * &lt;outputDirectory&gt;${project.build.directory}/fc&lt;/outputDirectory&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.outputDirectory", defaultValue = "${project.build.directory}/fc")
  File outputDirectory;

  /**
   * The OCI archive written when no {@code fc.image} is set; defaults to {@code
   * <outputDirectory>/image.tar}.
   *
   * <pre>
   * &lt;archive&gt;${project.build.directory}/fc/image.tar&lt;/archive&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.archive")
  File archive;

  /**
   * Where pulled base image layers are cached; defaults to Jib's cache in the user's cache
   * directory, shared between projects.
   *
   * <pre>
   * &lt;baseImageCache&gt;${user.home}/.cache/fc/base&lt;/baseImageCache&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.baseImageCache")
  File baseImageCache;

  /**
   * The gitops folder; unset: the first {@code gitops/} with a {@code functions/} folder found from
   * the project folder upwards. Its {@code functions/<function>.yaml}, when present, is the base
   * configuration and declares the triggers.
   *
   * <pre>
   * &lt;gitops&gt;${maven.multiModuleProjectDirectory}/gitops&lt;/gitops&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.gitops")
  File gitops;

  @Override
  String configuredGitops() {
    return gitops != null ? gitops.getPath() : super.configuredGitops();
  }

  /** The gitops folder in use, if any. */
  Optional<Path> gitopsFolder() {
    if (gitops != null) {
      return Files.isDirectory(gitops.toPath()) ? Optional.of(gitops.toPath()) : Optional.empty();
    }
    for (Path dir = project.getBasedir().toPath().toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve("gitops");
      if (Files.isDirectory(candidate.resolve("functions"))) {
        return Optional.of(candidate);
      }
      if (Files.exists(dir.resolve(".git"))) {
        break;
      }
    }
    return Optional.empty();
  }

  /** The function's gitops declaration, if the gitops folder has one. */
  Optional<FunctionSpec> gitopsFunction(String name) {
    Optional<Path> folder = gitopsFolder();
    if (folder.isEmpty()
        || !Files.isRegularFile(folder.get().resolve("functions/" + name + ".yaml"))) {
      return Optional.empty();
    }
    return Optional.of(gitopsRepository(folder.get()).function(name));
  }

  /** The settings as the user set them. */
  ImageSettings imageSettings(String effectiveHandler) {
    return new ImageSettings(
        function,
        effectiveHandler,
        image,
        nested(from == null ? null : from.getImage(), "fc.from.image"),
        allowInsecureRegistries,
        creationTime,
        outputDirectory == null ? null : outputDirectory.toPath(),
        archive == null ? null : archive.toPath(),
        baseImageCache == null ? null : baseImageCache.toPath());
  }

  /** The image request; without {@code <handler>}, the gitops function file's handler. */
  ImageBuildRequest imageRequest(FcContext fc) {
    String effective = handler;
    if (effective == null || effective.isBlank()) {
      String name = ImageRequests.functionName(function, project.getArtifactId());
      effective = gitopsFunction(name).map(FunctionSpec::handler).orElse(null);
    }
    return imageRequest(fc, effective);
  }

  ImageBuildRequest imageRequest(FcContext fc, String effectiveHandler) {
    ImageBuildRequest request =
        ImageRequests.from(imageSettings(effectiveHandler), fc.project(), this::credentials);
    // Before anything is built or started: a handler the host cannot serve fails here.
    HandlerCheck.check(request.handler(), request.classes(), request.dependencies());
    return request;
  }

  /** Credentials of the settings.xml server whose id is the registry host, decrypted. */
  private RegistryCredentials credentials(String registry) {
    Server server = session.getSettings().getServer(registry);
    if (server == null || server.getUsername() == null) {
      return null;
    }
    SettingsDecryptionResult result =
        settingsDecrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
    for (SettingsProblem problem : result.getProblems()) {
      getLog().warn("settings.xml server " + registry + ": " + problem.getMessage());
    }
    Server decrypted = result.getServer();
    return new RegistryCredentials(
        decrypted.getUsername(), decrypted.getPassword() == null ? "" : decrypted.getPassword());
  }
}
