package io.fctoolkit.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionImageBuilderTest {

  @TempDir Path temp;

  private SampleFunction sample;
  private final List<FcEvent> events = new CopyOnWriteArrayList<>();
  private FunctionImageBuilder builder;

  @BeforeEach
  void setUp() throws Exception {
    sample = new SampleFunction(temp.resolve("project"));
    builder = new FunctionImageBuilder(events::add);
  }

  @Test
  void build_twiceWithFreshCachesAndNewFileTimes_givesTheSameDigest() throws Exception {
    // Given
    BuiltImage first = builder.build(sample.archiveRequest(temp.resolve("out1")));
    sample.touchAll(Instant.parse("2030-05-06T07:08:09Z"));

    // When: a second build with its own (empty) layer cache, as on another machine
    BuiltImage second = builder.build(sample.archiveRequest(temp.resolve("out2")));

    // Then
    assertThat(second.digest()).isEqualTo(first.digest()).startsWith("sha256:");
    assertThat(second.imageId()).isEqualTo(first.imageId());
    assertThat(second.layers()).isEqualTo(first.layers());
    assertThat(Files.readAllBytes(temp.resolve("out2/image.tar")))
        .isEqualTo(Files.readAllBytes(temp.resolve("out1/image.tar")));
  }

  @Test
  void build_afterAClassChange_changesOnlyTheClassesLayer() throws Exception {
    // Given
    BuiltImage before = builder.build(sample.archiveRequest(temp.resolve("out")));

    // When
    SampleFunction.write(sample.classes.resolve("com/example/Hello.class"), "changed bytecode");
    BuiltImage after = builder.build(sample.archiveRequest(temp.resolve("out")));

    // Then
    assertThat(after.digest()).isNotEqualTo(before.digest());
    for (String unchanged : List.of("dependencies", "host", "resources")) {
      assertThat(after.layer(unchanged)).isEqualTo(before.layer(unchanged));
    }
    assertThat(after.layer("classes").orElseThrow().digest())
        .isNotEqualTo(before.layer("classes").orElseThrow().digest());
  }

  @Test
  void build_toArchive_hasTheLayoutOfTheArchitecture() throws Exception {
    // When
    BuiltImage image = builder.build(sample.archiveRequest(temp.resolve("out")));

    // Then: the archive is an OCI layout whose manifest is the image's digest
    OciArchive archive = new OciArchive(temp.resolve("out/image.tar"));
    assertThat(archive.files).containsKey("oci-layout");
    assertThat(archive.manifestDigest).isEqualTo(image.digest());
    assertThat(archive.manifest.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(image.reference().toString()).isEqualTo("hello@" + image.digest());

    // four layers in order, each holding exactly its part
    assertThat(image.layers())
        .extracting(BuiltLayer::name)
        .containsExactly("dependencies", "host", "resources", "classes");
    assertThat(archive.layerDigests())
        .containsExactlyElementsOf(image.layers().stream().map(BuiltLayer::digest).toList());
    for (int i = 0; i < 4; i++) {
      assertThat(archive.manifest.path("layers").get(i).path("size").asLong())
          .isEqualTo(image.layers().get(i).size());
      assertThat(archive.config.path("rootfs").path("diff_ids").get(i).asText())
          .isEqualTo(image.layers().get(i).diffId());
    }
    assertThat(files(archive, 0))
        .containsExactly("app/libs/functions-framework-api-2.0.0.jar", "app/libs/gson-2.13.jar");
    assertThat(files(archive, 1)).containsExactly("app/host/fc-host.jar");
    assertThat(files(archive, 2))
        .containsExactly(
            "app/resources/META-INF/services/x.Y",
            "app/resources/messages.properties",
            "app/resources/static/index.html");
    assertThat(files(archive, 3))
        .containsExactly(
            "app/classes/com/example/Hello$Inner.class", "app/classes/com/example/Hello.class");
    assertThat(Files.readString(sample.classes.resolve("com/example/Hello.class")))
        .isEqualTo(new String(content(archive, 3, "app/classes/com/example/Hello.class")));

    // fixed file times and permissions: nothing but content reaches the digest
    for (int i = 0; i < 4; i++) {
      for (TarArchiveEntry entry : archive.layerEntries(i).values()) {
        assertThat(entry.getModTime().toInstant().getEpochSecond()).isEqualTo(1);
        assertThat(entry.getMode() & 0777).isEqualTo(entry.isDirectory() ? 0755 : 0644);
      }
    }

    // entrypoint, environment, labels, creation time
    JsonNode config = archive.config.path("config");
    assertThat(strings(config.path("Entrypoint")))
        .containsExactly(
            "java",
            "-cp",
            "/app/host/*:/app/libs/*:/app/resources:/app/classes",
            "io.fctoolkit.host.FcHost");
    assertThat(strings(config.path("Env"))).contains("FUNCTION_TARGET=com.example.Hello");
    assertThat(config.path("Labels").path("io.fctoolkit.function").asText()).isEqualTo("hello");
    assertThat(config.path("Labels").path("io.fctoolkit.handler").asText())
        .isEqualTo("com.example.Hello");
    assertThat(archive.config.path("created").asText()).isEqualTo("1970-01-01T00:00:00Z");

    // the image source the local runtime imports
    assertThat(image.toImageSource())
        .isEqualTo(new ImageSource.Archive(temp.resolve("out/image.tar"), image.digest(), "hello"));
  }

  @Test
  void build_toArchive_isReadableBySkopeoWithTheSameDigest() throws Exception {
    // When
    BuiltImage image = builder.build(sample.archiveRequest(temp.resolve("out")));

    // Then: an independent OCI implementation agrees on the digest and layers
    JsonNode inspected = Skopeo.inspect("oci-archive:" + temp.resolve("out/image.tar"), false);
    assertThat(inspected.path("Digest").asText()).isEqualTo(image.digest());
    assertThat(strings(inspected.path("Layers")))
        .containsExactlyElementsOf(image.layers().stream().map(BuiltLayer::digest).toList());
  }

  @Test
  void build_writesBuildJsonWithTheDigestAndItsInputs() throws Exception {
    // When
    BuiltImage image = builder.build(sample.archiveRequest(temp.resolve("out")));

    // Then
    assertThat(image.buildJson()).isEqualTo(temp.resolve("out/build.json"));
    JsonNode json = new ObjectMapper().readTree(image.buildJson().toFile());
    assertThat(json.path("digest").asText()).isEqualTo(image.digest());
    assertThat(json.path("image").asText()).isEqualTo(image.reference().toString());
    assertThat(json.path("imageId").asText()).isEqualTo(image.imageId());
    assertThat(json.path("function").asText()).isEqualTo("hello");
    assertThat(json.path("handler").asText()).isEqualTo("com.example.Hello");
    assertThat(json.path("baseImage").asText()).isEqualTo("scratch");
    assertThat(json.path("target").path("type").asText()).isEqualTo("archive");
    assertThat(json.path("layers")).hasSize(4);
    assertThat(json.path("layers").get(3).path("digest").asText())
        .isEqualTo(image.layer("classes").orElseThrow().digest());
    assertThat(json.path("layers").get(2).path("files").asInt()).isEqualTo(3);
    assertThat(json.path("layers").get(3).path("files").asInt()).isEqualTo(2);
    assertThat(strings(json.path("inputs").path("dependencies")))
        .containsExactly("functions-framework-api-2.0.0.jar", "gson-2.13.jar");
    assertThat(json.path("inputs").path("fingerprint").asText()).startsWith("sha256:");
  }

  @Test
  void build_reportsStepsAsLifecycleEventsAndJibLogAsDetail() throws Exception {
    // When
    BuiltImage image = builder.build(sample.archiveRequest(temp.resolve("out")));

    // Then
    assertThat(events)
        .filteredOn(event -> event.level() == FcEvent.Level.LIFECYCLE)
        .extracting(FcEvent::message)
        .anySatisfy(message -> assertThat(message).startsWith("Building image of hello"))
        .anySatisfy(message -> assertThat(message).contains(image.digest()));
    assertThat(events)
        .filteredOn(event -> event.level() == FcEvent.Level.INFO)
        .extracting(FcEvent::message)
        .anySatisfy(message -> assertThat(message).startsWith("jib: "));
    assertThat(events)
        .filteredOn(event -> event.level() == FcEvent.Level.PROGRESS)
        .allSatisfy(event -> assertThat(event.progress()).isBetween(0.0, 1.0));
  }

  @Test
  void upToDateDigest_isPresentUntilAnInputChanges() throws Exception {
    // Given
    ImageBuildRequest request = sample.archiveRequest(temp.resolve("out"));
    assertThat(builder.upToDateDigest(request)).isEmpty();
    BuiltImage image = builder.build(request);

    // Then
    assertThat(builder.upToDateDigest(request)).contains(image.digest());
    SampleFunction.write(sample.resources.resolve("messages.properties"), "greeting=hi there\n");
    assertThat(builder.upToDateDigest(request)).isEmpty();
  }

  @Test
  void build_withoutResources_leavesTheResourcesLayerOut() throws Exception {
    // Given
    Files.delete(sample.classes.resolve("META-INF/services/x.Y"));

    // When
    BuiltImage image =
        builder.build(
            sample
                .request(temp.resolve("out"))
                .resources(temp.resolve("nowhere"))
                .target(
                    new ImageTarget.Archive(
                        temp.resolve("out/image.tar"), io.fctoolkit.core.ImageRef.parse("hello")))
                .build());

    // Then
    assertThat(image.layers())
        .extracting(BuiltLayer::name)
        .containsExactly("dependencies", "host", "classes");
  }

  @Test
  void build_withoutClasses_namesTheFieldAndBuildsNothing() {
    ImageBuildRequest request =
        sample
            .request(temp.resolve("out"))
            .classes(temp.resolve("missing/classes"))
            .target(
                new ImageTarget.Archive(
                    temp.resolve("out/image.tar"), io.fctoolkit.core.ImageRef.parse("hello")))
            .build();

    assertThatThrownBy(() -> builder.build(request))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("classes"))
        .hasMessageContaining(temp.resolve("missing/classes").toString());
    assertThat(temp.resolve("out/image.tar")).doesNotExist();
  }

  @Test
  void build_withTwoDifferentJarsOfTheSameName_refusesWithBothPaths() throws Exception {
    Path clash = temp.resolve("other/gson-2.13.jar");
    SampleFunction.write(clash, "different");
    ImageBuildRequest request =
        sample
            .request(temp.resolve("out"))
            .dependencies(List.of(sample.dependencies.get(1), clash))
            .target(
                new ImageTarget.Archive(
                    temp.resolve("out/image.tar"), io.fctoolkit.core.ImageRef.parse("hello")))
            .build();

    assertThatThrownBy(() -> builder.build(request))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("gson-2.13.jar")
        .hasMessageContaining(clash.toString());
  }

  @Test
  void build_withAResourceInBothPlaces_refusesNamingBoth() throws Exception {
    SampleFunction.write(sample.classes.resolve("messages.properties"), "copied by Maven\n");

    assertThatThrownBy(() -> builder.build(sample.archiveRequest(temp.resolve("out"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(sample.classes.resolve("messages.properties").toString())
        .hasMessageContaining("/app/resources/messages.properties");
  }

  @Test
  void credentials_areNeverPrinted() {
    assertThat(new RegistryCredentials("ci-bot", "s3cret").toString())
        .doesNotContain("ci-bot")
        .doesNotContain("s3cret");
  }

  private static List<String> files(OciArchive archive, int layer) throws Exception {
    Map<String, TarArchiveEntry> entries = archive.layerEntries(layer);
    return entries.values().stream()
        .filter(entry -> !entry.isDirectory())
        .map(TarArchiveEntry::getName)
        .sorted()
        .toList();
  }

  private static byte[] content(OciArchive archive, int layer, String path) throws Exception {
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(
                    archive.blob(archive.layerDigests().get(layer)))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.getName().equals(path)) {
          return tar.readAllBytes();
        }
      }
    }
    throw new AssertionError("no " + path);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
