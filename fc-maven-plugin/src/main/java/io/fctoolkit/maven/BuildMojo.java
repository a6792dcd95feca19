package io.fctoolkit.maven;

import io.fctoolkit.core.image.BuiltImage;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Builds the function's OCI image with jib-core, without a Docker daemon: to a registry when {@code
 * fc.image} is set, otherwise to an OCI archive ({@code target/fc/image.tar}) for the local
 * runtime. Writes the digest and what went into it to {@code target/fc/build.json}. Skipped with
 * {@code -Dfc.build.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(
    name = "build",
    defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public class BuildMojo extends AbstractImageMojo {

  @Override
  String goal() {
    return "build";
  }

  @Override
  void run(FcContext fc) {
    ImageBuildRequest request = imageRequest(fc);
    BuiltImage image = fc.step("build", () -> new FunctionImageBuilder(fc.events()).build(request));
    getLog().info("Image digest: " + image.digest());
    getLog().info("Wrote " + image.buildJson());
  }
}
