package io.fctoolkit.maven;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.InitCi;
import io.fctoolkit.maven.internal.InitFile;
import io.fctoolkit.maven.internal.InitPlan;
import io.fctoolkit.maven.internal.InitSummary;
import io.fctoolkit.maven.internal.InitTemplates;
import io.fctoolkit.maven.internal.InitWriter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes what a team commits to run this function by pull request: {@code gitops/} (the function
 * file from the pom's {@code <function>}, {@code <handler>}, resources, scaling and variables; a
 * {@code dev} environment on the local runtime; a {@code prod} environment on Knative; the JSON
 * Schemas editors check them with) and the pipelines of {@code -Dfc.init.ci} ({@code github}, the
 * default: {@code .github/workflows/}; {@code jenkins}: {@code Jenkinsfile}; or {@code none}),
 * copied from the toolkit's own {@code pipelines/}. A file that exists is kept and listed, never
 * overwritten, unless {@code -Dfc.init.force=true}.
 *
 * <p>It runs in the function's module (like {@code func config ci}): the files go to the top of the
 * Git working tree that holds it ({@code -Dfc.init.dir} to choose), so a multi-module repository
 * gets one {@code gitops/} and one set of pipelines. In a reactor it runs only in modules that
 * declare this plugin; a {@code pom}-packaging project is skipped with a message.
 *
 * @since 0.1.0
 */
@Mojo(name = "init", threadSafe = true)
public class InitMojo extends AbstractFunctionMojo {

  /**
   * The CI system to write pipelines for: {@code github} (GitHub Actions), {@code jenkins} or
   * {@code none}.
   *
   * <pre>
   * &lt;ci&gt;jenkins&lt;/ci&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.init.ci", defaultValue = "github")
  String ci;

  /**
   * Overwrite files that exist with other content (each is reported as overwritten).
   *
   * <pre>
   * &lt;force&gt;true&lt;/force&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.init.force", defaultValue = "false")
  boolean force;

  /**
   * The folder to write into; unset: the top of the Git working tree around the project, else the
   * project's folder.
   *
   * <pre>
   * &lt;directory&gt;${maven.multiModuleProjectDirectory}&lt;/directory&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.init.dir")
  File directory;

  @Override
  String goal() {
    return "init";
  }

  @Override
  void run(FcContext fc) {
    Optional<String> skip = notAFunction();
    if (skip.isPresent()) {
      getLog().info("Skipping fc:init in " + project.getArtifactId() + ": " + skip.get());
      return;
    }
    InitCi system = InitCi.parse(ci);
    String name = ImageRequests.functionName(function, project.getArtifactId());
    FunctionConfig config = functionConfig(name, Optional.empty());
    Path root = directory != null ? directory.toPath() : topFolder(baseDir());
    List<InitWriter.Entry> entries;
    try (InitTemplates templates = InitTemplates.of(InitMojo.class)) {
      List<InitFile> files = InitPlan.of(config, system, templates.root());
      entries = InitWriter.write(root, files, force);
    }
    getLog().info("fc:init into " + root.toAbsolutePath().normalize());
    InitSummary.lines(entries, system, name).forEach(getLog()::info);
  }

  /** Why this project gets no files, or empty. */
  private Optional<String> notAFunction() {
    if ("pom".equals(project.getPackaging())) {
      return Optional.of(
          "a pom-packaging project holds no function; run it in the function's module"
              + " (mvn fc:init -pl <module>)");
    }
    boolean declares =
        project.getBuildPlugins().stream()
            .anyMatch(p -> p.getArtifactId().equals(plugin.getArtifactId()));
    if (!declares && session.getProjects().size() > 1) {
      return Optional.of("its pom does not declare " + plugin.getArtifactId());
    }
    return Optional.empty();
  }

  /** The top of the Git working tree around {@code start}, else {@code start}. */
  static Path topFolder(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        return dir;
      }
    }
    return start.toAbsolutePath();
  }
}
