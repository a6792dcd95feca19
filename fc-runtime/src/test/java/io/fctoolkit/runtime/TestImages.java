package io.fctoolkit.runtime;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds real OCI image archives for tests with jib-core, in the layout of the host contract:
 * {@code /app/libs} (functions-framework-api), {@code /app/host/fc-host.jar} (the real host) and
 * {@code /app/classes} (the test functions).
 */
public final class TestImages {

  /** An image archive and the digest jib reported for it. */
  public record Built(Path tarball, String digest) {}

  private TestImages() {}

  /**
   * The fc-host jar: {@code fc.test.hostJar} / {@code FC_TEST_HOST_JAR}, else the test classpath.
   */
  public static Path hostJar(Path work) throws IOException {
    String configured = System.getProperty("fc.test.hostJar", System.getenv("FC_TEST_HOST_JAR"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path location;
    try {
      Class<?> host = Class.forName("io.fctoolkit.host.FcHost");
      location = Path.of(host.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
      throw new IllegalStateException("fc-host is not on the test classpath", e);
    }
    if (Files.isRegularFile(location)) {
      return location;
    }
    // A reactor build before packaging puts fc-host's classes folder on the classpath: jar it.
    Path jar = work.resolve("fc-host.jar");
    if (!Files.exists(jar)) {
      jarDirectory(location, jar);
    }
    return jar;
  }

  /** The OCI archive of the test functions with {@code extraResource} in {@code /app/resources}. */
  public static Built build(Path work, String name, String extraResource, boolean ociFormat)
      throws Exception {
    return build(work, name, extraResource, ociFormat, null);
  }

  /** Builds the test image and pushes it to {@code registry} (plain HTTP) when given. */
  public static Built build(
      Path work, String name, String extraResource, boolean ociFormat, String registry)
      throws Exception {
    Path classes =
        Path.of(TestImages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path fnDir = classes.resolve("io/fctoolkit/runtime/testfn");
    FileEntriesLayer.Builder classLayer = FileEntriesLayer.builder().setName("classes");
    try (Stream<Path> files = Files.list(fnDir)) {
      for (Path f : files.sorted().toList()) {
        classLayer.addEntry(
            f, AbsoluteUnixPath.get("/app/classes/io/fctoolkit/runtime/testfn/" + f.getFileName()));
      }
    }
    Path resource = work.resolve(name + "-resource.txt");
    Files.writeString(resource, extraResource);
    JibContainerBuilder builder =
        Jib.fromScratch()
            .setFormat(ociFormat ? ImageFormat.OCI : ImageFormat.Docker)
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .setName("dependencies")
                    .addEntry(
                        jarOf(com.google.cloud.functions.HttpFunction.class),
                        AbsoluteUnixPath.get("/app/libs/functions-framework-api.jar"))
                    .addEntry(
                        jarOf(io.cloudevents.CloudEvent.class),
                        AbsoluteUnixPath.get("/app/libs/cloudevents-api.jar"))
                    .build())
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .setName("host")
                    .addEntry(hostJar(work), AbsoluteUnixPath.get("/app/host/fc-host.jar"))
                    .build())
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .setName("resources")
                    .addEntry(resource, AbsoluteUnixPath.get("/app/resources/build.txt"))
                    .build())
            .addFileEntriesLayer(classLayer.build())
            .setEntrypoint(
                List.of(
                    "java",
                    "-cp",
                    "/app/host/*:/app/libs/*:/app/resources:/app/classes",
                    "io.fctoolkit.host.FcHost"))
            .setEnvironment(Map.of("FUNCTION_TARGET", "io.fctoolkit.runtime.testfn.Hello"));
    // A file outside /app, which the runtime must not unpack.
    Path outside = work.resolve(name + "-outside.txt");
    Files.writeString(outside, "not for the runtime");
    builder.addFileEntriesLayer(
        FileEntriesLayer.builder()
            .setName("outside")
            .addEntry(outside, AbsoluteUnixPath.get("/opt/outside.txt"))
            .build());
    if (registry != null) {
      JibContainer pushed =
          builder.containerize(
              Containerizer.to(
                      com.google.cloud.tools.jib.api.RegistryImage.named(
                          registry + "/" + name + ":test"))
                  .setAllowInsecureRegistries(true)
                  .setApplicationLayersCache(work.resolve("jib-cache"))
                  .setBaseImageLayersCache(work.resolve("jib-base-cache")));
      return new Built(null, pushed.getDigest().toString());
    }
    Path tar = work.resolve(name + (ociFormat ? "-oci" : "-docker") + ".tar");
    JibContainer container =
        builder.containerize(
            Containerizer.to(TarImage.at(tar).named("local/" + name))
                .setApplicationLayersCache(work.resolve("jib-cache"))
                .setBaseImageLayersCache(work.resolve("jib-base-cache")));
    return new Built(tar, container.getDigest().toString());
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static void jarDirectory(Path dir, Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new JarEntry(dir.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, zip);
        zip.closeEntry();
      }
    }
    Files.move(tmp, jar);
  }
}
