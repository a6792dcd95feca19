package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.runtime.internal.ImageImportException;
import io.fctoolkit.runtime.internal.ImageRecord;
import io.fctoolkit.runtime.internal.ImageStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing jib's archives (both formats) and pulling from a real registry by digest. */
class ImageStoreTest {

  @TempDir Path dir;

  @Test
  void ociArchive_isVerifiedAndOnlyAppIsUnpacked() throws Exception {
    TestImages.Built built = TestImages.build(dir, "oci", "r1", true);
    ImageStore store = new ImageStore(dir.resolve("store"));
    ImageRecord record;
    try (var in = Files.newInputStream(built.tarball())) {
      record = store.importArchive(in, built.digest(), "local/oci");
    }
    assertThat(record.digest()).isEqualTo(built.digest());
    assertThat(record.verified()).isTrue();
    assertThat(record.layers()).hasSize(5);
    Path app = store.unpackApp(built.digest());
    assertThat(app.resolve("host/fc-host.jar")).isRegularFile();
    assertThat(app.resolve("classes/io/fctoolkit/runtime/testfn/Hello.class")).isRegularFile();
    assertThat(app.resolve("resources/build.txt")).hasContent("r1");
    try (var walk = Files.walk(dir.resolve("store"))) {
      assertThat(walk.filter(p -> p.getFileName().toString().equals("outside.txt")).toList())
          .isEmpty();
    }
    // Importing again is idempotent.
    try (var in = Files.newInputStream(built.tarball())) {
      assertThat(store.importArchive(in, null, "again").digest()).isEqualTo(built.digest());
    }
  }

  @Test
  void dockerArchive_getsTheDigestJibReported() throws Exception {
    TestImages.Built built = TestImages.build(dir, "docker", "r1", false);
    ImageStore store = new ImageStore(dir.resolve("store"));
    try (var in = Files.newInputStream(built.tarball())) {
      ImageRecord record = store.importArchive(in, built.digest(), "local/docker");
      assertThat(record.digest()).isEqualTo(built.digest());
      // The archive has no manifest: the rebuilt Docker V2.2 manifest hashes to jib's digest.
      assertThat(record.verified()).isTrue();
      assertThat(record.layers()).hasSize(5);
    }
    assertThat(store.unpackApp(built.digest()).resolve("host/fc-host.jar")).isRegularFile();
  }

  @Test
  void badArchives_areRefusedWithAReason() throws Exception {
    ImageStore store = new ImageStore(dir.resolve("store"));
    assertThatThrownBy(
            () ->
                store.importArchive(
                    new ByteArrayInputStream("not a tar at all".repeat(100).getBytes()), null, "x"))
        .isInstanceOf(ImageImportException.class)
        .hasMessageContaining("image archive could not be read");
    TestImages.Built built = TestImages.build(dir, "oci", "r1", true);
    String wrong = "sha256:" + "0".repeat(64);
    try (var in = Files.newInputStream(built.tarball())) {
      assertThatThrownBy(() -> store.importArchive(in, wrong, "x"))
          .isInstanceOf(ImageImportException.class)
          .hasMessageContaining("digest mismatch")
          .hasMessageContaining(wrong);
    }
  }

  @Test
  void registryPullByDigest_fromInsecureLocalRegistry_thenPublishAndInvoke() throws Exception {
    try (LocalRegistry registry = LocalRegistry.start(dir);
        RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      TestImages.Built pushed =
          TestImages.build(dir, "pulled", "from registry", true, registry.address);
      LocalPlatform platform = server.client();
      ImageSource source =
          new ImageSource.Registry(
              ImageRef.byDigest(registry.address + "/pulled", pushed.digest()), true);
      platform.publish(new PublishRequest(Fixtures.hello("pulled").build(), source, "r1"));
      platform.putAlias(new AliasUpdate("pulled", "live", AliasTarget.of(1), 0L));
      var response = platform.invoke(InvokeRequest.json("pulled", "live", "p"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("hello p");
      assertThat(platform.describe("pulled").orElseThrow().versions().get(0).imageDigest())
          .isEqualTo(pushed.digest());

      // A digest the registry does not have is a clear 404.
      ImageSource missing =
          new ImageSource.Registry(
              ImageRef.byDigest(registry.address + "/pulled", "sha256:" + "1".repeat(64)), true);
      assertThatThrownBy(() -> platform.importImage(missing))
          .hasMessageContaining("not found in the registry");
      // Without insecure the runtime speaks HTTPS, which a plain-HTTP registry cannot answer.
      // (A digest already in the store is never fetched again, so ask for a new one.)
      ImageSource secure =
          new ImageSource.Registry(
              ImageRef.byDigest(registry.address + "/pulled", "sha256:" + "3".repeat(64)), false);
      assertThatThrownBy(() -> platform.importImage(secure)).hasMessageContaining("could not pull");
    }
  }

  @Test
  void publishOfUnknownDigest_namesTheImage() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      var r =
          Fixtures.http(
              server,
              "POST",
              "/v1/functions/x/versions",
              "{\"config\":{\"handler\":\"a.B\"},\"imageDigest\":\"sha256:"
                  + "2".repeat(64)
                  + "\"}");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("image 'sha256:2222");
    }
    assertThat(InvalidRequestException.class).isNotNull();
  }
}
