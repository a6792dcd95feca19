package io.fctoolkit.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes to a real registry (Debian's docker-registry on 127.0.0.1) and checks with skopeo. */
class FunctionImageBuilderRegistryTest {

  @TempDir static Path registryDir;
  private static LocalRegistry registry;

  @TempDir Path temp;
  private SampleFunction sample;
  private final List<FcEvent> events = new ArrayList<>();
  private FunctionImageBuilder builder;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start(registryDir);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    sample = new SampleFunction(temp.resolve("project"));
    builder = new FunctionImageBuilder(events::add);
  }

  private ImageBuildRequest.Builder push(String repository, Path output) {
    return sample
        .request(output)
        .baseImage(FunctionImageBuilder.SCRATCH)
        .target(
            new ImageTarget.Registry(
                ImageRef.parse(registry.address() + "/" + repository + ":dev"), true, null));
  }

  @Test
  void push_toInsecureLocalRegistry_skopeoSeesTheSameDigest() throws Exception {
    // When
    BuiltImage image = builder.build(push("team/hello", temp.resolve("out")).build());

    // Then
    JsonNode inspected =
        Skopeo.inspect("docker://" + registry.address() + "/team/hello:dev", false);
    assertThat(inspected.path("Digest").asText()).isEqualTo(image.digest());
    assertThat(inspected.path("Labels").path("io.fctoolkit.function").asText()).isEqualTo("hello");
    List<String> layers = new ArrayList<>();
    inspected.path("Layers").forEach(layer -> layers.add(layer.asText()));
    assertThat(layers)
        .containsExactlyElementsOf(image.layers().stream().map(BuiltLayer::digest).toList());
    assertThat(image.reference().toString())
        .isEqualTo(registry.address() + "/team/hello@" + image.digest());
    assertThat(image.toImageSource()).isEqualTo(new ImageSource.Registry(image.reference(), true));
  }

  @Test
  void push_isReproducible_andEqualsTheArchiveBuildOnTheSameBase() throws Exception {
    // Given
    BuiltImage pushed = builder.build(push("hello", temp.resolve("out1")).build());
    sample.touchAll(Instant.parse("2031-01-01T00:00:00Z"));

    // When
    BuiltImage again = builder.build(push("hello", temp.resolve("out2")).build());
    BuiltImage archived = builder.build(sample.archiveRequest(temp.resolve("out3")));

    // Then: same inputs, same digest, whether pushed or written to an archive
    assertThat(again.digest()).isEqualTo(pushed.digest());
    assertThat(archived.digest()).isEqualTo(pushed.digest());
    JsonNode inspected = Skopeo.inspect("docker://" + registry.address() + "/hello:dev", false);
    assertThat(inspected.path("Digest").asText()).isEqualTo(pushed.digest());
  }

  @Test
  void push_onABaseImagePinnedByDigest_keepsBaseLayersFirst() throws Exception {
    // Given: a base image in the registry, pinned by digest
    String baseDigest = pushBaseImage();
    String base = registry.address() + "/base@" + baseDigest;

    // When
    BuiltImage image = builder.build(push("on-base", temp.resolve("out")).baseImage(base).build());

    // Then
    JsonNode raw = Skopeo.inspect("docker://" + registry.address() + "/on-base:dev", true);
    assertThat(raw.path("layers")).hasSize(5);
    JsonNode baseRaw = Skopeo.inspect("docker://" + base, true);
    String baseLayer = baseRaw.path("layers").get(0).path("digest").asText();
    assertThat(raw.path("layers").get(0).path("digest").asText()).isEqualTo(baseLayer);
    assertThat(image.layers())
        .extracting(BuiltLayer::name)
        .containsExactly("base", "dependencies", "host", "resources", "classes");
    assertThat(image.layers().get(0).digest()).isEqualTo(baseLayer);
    assertThat(
            Skopeo.inspect("docker://" + registry.address() + "/on-base:dev", false)
                .path("Digest")
                .asText())
        .isEqualTo(image.digest());
  }

  @Test
  void push_toARegistryThatIsNotRunning_namesTheAddress() throws Exception {
    String address = "127.0.0.1:" + LocalRegistry.freePort();
    ImageBuildRequest request =
        sample
            .request(temp.resolve("out"))
            .baseImage(FunctionImageBuilder.SCRATCH)
            .target(new ImageTarget.Registry(ImageRef.parse(address + "/hello:dev"), true, null))
            .build();

    assertThatThrownBy(() -> builder.build(request))
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.registry()).isEqualTo(address))
        .hasMessageContaining(address);
  }

  @Test
  void push_withCredentialsOverPlainHttp_refusesAndNeverLogsThem() {
    ImageBuildRequest request =
        sample
            .request(temp.resolve("out"))
            .baseImage(FunctionImageBuilder.SCRATCH)
            .target(
                new ImageTarget.Registry(
                    ImageRef.parse(registry.address() + "/with-creds:dev"),
                    true,
                    new RegistryCredentials("ci-bot", "p4ssw0rd-secret")))
            .build();

    // The registry needs no credentials, so the push succeeds without sending them.
    BuiltImage image = builder.build(request);

    assertThat(image.digest()).startsWith("sha256:");
    assertThat(events).extracting(FcEvent::message).noneMatch(m -> m.contains("p4ssw0rd-secret"));
  }

  private String pushBaseImage() throws Exception {
    Path file = temp.resolve("base/README");
    SampleFunction.write(file, "a base image\n");
    JibContainer base =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .addEntry(file, AbsoluteUnixPath.get("/opt/base/README"))
                    .build())
            .containerize(
                Containerizer.to(RegistryImage.named(registry.address() + "/base:1"))
                    .setAllowInsecureRegistries(true)
                    .setApplicationLayersCache(temp.resolve("base-app-cache"))
                    .setBaseImageLayersCache(temp.resolve("base-cache-for-base")));
    return base.getDigest().toString();
  }
}
