package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.runtime.internal.ImageImportException;
import io.fctoolkit.runtime.internal.ImageRecord;
import io.fctoolkit.runtime.internal.ImageStore;
import io.fctoolkit.runtime.internal.ThinArchive;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes an incremental deploy's import cheap: layers are unpacked once and shared by hard
 * links, and the client leaves the blobs the runtime stores out of its upload.
 */
class ImageLayersTest {

  @TempDir Path dir;

  @Test
  void appFolders_ofTwoImages_shareTheFilesOfTheirCommonLayers() throws Exception {
    ImageStore store = new ImageStore(dir.resolve("store"));
    ImageRecord one = importArchive(store, TestImages.build(dir, "one", "r1", true));
    ImageRecord two = importArchive(store, TestImages.build(dir, "two", "r2", true));
    assertThat(one.layers().get(0)).isEqualTo(two.layers().get(0));

    Path appOne = store.unpackApp(one.digest());
    Path appTwo = store.unpackApp(two.digest());

    assertThat(appOne).isNotEqualTo(appTwo);
    Path jar = Path.of("libs/functions-framework-api.jar");
    assertThat(Files.isSameFile(appOne.resolve(jar), appTwo.resolve(jar))).isTrue();
    assertThat(appOne.resolve("resources/build.txt")).hasContent("r1");
    assertThat(appTwo.resolve("resources/build.txt")).hasContent("r2");
    assertThat(appTwo.resolve("classes/io/fctoolkit/runtime/testfn/Hello.class")).isRegularFile();
  }

  @Test
  void layerFoldersUnpackedBeforeMarkersExisted_areCheckedOnceAndLinked() throws Exception {
    ImageStore store = new ImageStore(dir.resolve("store"));
    ImageRecord one = importArchive(store, TestImages.build(dir, "one", "r1", true));
    Path appOne = store.unpackApp(one.digest());
    Path layers = dir.resolve("store/layers");
    try (var markers = Files.list(layers)) {
      for (Path marker : markers.filter(p -> p.toString().endsWith(".plain")).toList()) {
        Files.delete(marker);
      }
    }
    ImageRecord two = importArchive(store, TestImages.build(dir, "two", "r2", true));

    Path appTwo = store.unpackApp(two.digest());

    Path jar = Path.of("libs/functions-framework-api.jar");
    assertThat(Files.isSameFile(appOne.resolve(jar), appTwo.resolve(jar))).isTrue();
    assertThat(layers.resolve(two.layers().get(0).substring("sha256:".length()) + ".plain"))
        .exists();
  }

  @Test
  void whiteoutInALaterLayer_removesTheFileFromTheAppFolder() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    Path b = Files.writeString(dir.resolve("b.txt"), "b");
    Path empty = Files.writeString(dir.resolve("empty"), "");
    Path tar = dir.resolve("whiteout.tar");
    var container =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .addEntry(a, AbsoluteUnixPath.get("/app/libs/a.txt"))
                    .addEntry(b, AbsoluteUnixPath.get("/app/libs/b.txt"))
                    .build())
            .addFileEntriesLayer(
                FileEntriesLayer.builder()
                    .addEntry(empty, AbsoluteUnixPath.get("/app/libs/.wh.a.txt"))
                    .build())
            .containerize(
                Containerizer.to(TarImage.at(tar).named("local/whiteout"))
                    .setApplicationLayersCache(dir.resolve("jib-cache"))
                    .setBaseImageLayersCache(dir.resolve("jib-base-cache")));
    ImageStore store = new ImageStore(dir.resolve("store"));
    ImageRecord record;
    try (var in = Files.newInputStream(tar)) {
      record = store.importArchive(in, container.getDigest().toString(), "local/whiteout");
    }

    Path app = store.unpackApp(record.digest());

    assertThat(app.resolve("libs/b.txt")).hasContent("b");
    assertThat(app.resolve("libs/a.txt")).doesNotExist();
    assertThat(app.resolve("libs/.wh.a.txt")).doesNotExist();
  }

  @Test
  void thinArchive_importsWhenTheStoreHasTheLeftOutBlobs_andIsRefusedWhenNot() throws Exception {
    TestImages.Built one = TestImages.build(dir, "one", "r1", true);
    TestImages.Built two = TestImages.build(dir, "two", "r2", true);
    ImageStore store = new ImageStore(dir.resolve("store"));
    ImageRecord first = importArchive(store, one);
    String shared = first.layers().get(0);
    Map<String, Long> blobs = ThinArchive.blobs(two.tarball());
    assertThat(blobs).containsKey(shared);

    byte[] thin = ThinArchive.without(two.tarball(), Set.of(shared));

    assertThat((long) thin.length).isLessThan(Files.size(two.tarball()) - blobs.get(shared) + 1);
    ImageStore empty = new ImageStore(dir.resolve("empty-store"));
    assertThatThrownBy(
            () -> empty.importArchive(new ByteArrayInputStream(thin), two.digest(), "local/two"))
        .isInstanceOf(ImageImportException.class)
        .hasMessageContaining(shared)
        .hasMessageContaining("missing from the archive");
    ImageRecord second =
        store.importArchive(new ByteArrayInputStream(thin), two.digest(), "local/two");
    assertThat(second.digest()).isEqualTo(two.digest());
    assertThat(second.verified()).isTrue();
    assertThat(store.unpackApp(second.digest()).resolve("resources/build.txt")).hasContent("r2");
  }

  @Test
  void dockerArchive_hasNoBlobsToLeaveOut() throws Exception {
    TestImages.Built docker = TestImages.build(dir, "docker", "r1", false);
    assertThat(ThinArchive.blobs(docker.tarball())).isEmpty();
  }

  @Test
  void localPlatform_leavesTheBlobsTheRuntimeStoresOutOfItsUpload() throws Exception {
    try (RuntimeServer server = RuntimeServer.start(Fixtures.options(dir.resolve("state")))) {
      LocalPlatform platform = server.client();
      TestImages.Built one = TestImages.build(dir, "one", "r1", true);
      TestImages.Built two = TestImages.build(dir, "two", "r2", true);
      assertThat(platform.importImage(archive(one))).isEqualTo(one.digest());
      String shared = largestSharedBlob(one, two);
      assertThat(Fixtures.http(server, "HEAD", "/v1/blobs/" + shared, null).statusCode())
          .isEqualTo(200);
      assertThat(
              Fixtures.http(server, "HEAD", "/v1/blobs/sha256:" + "4".repeat(64), null)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              Fixtures.http(server, "HEAD", "/v1/blobs/" + shared, null, null, Map.of())
                  .statusCode())
          .isEqualTo(401);

      // The shared layer's copy in the second archive is corrupted: a whole upload would be
      // refused for a digest mismatch, so the import succeeding shows it was left out.
      corruptBlob(two.tarball(), shared);
      assertThat(platform.importImage(archive(two))).isEqualTo(two.digest());
      assertThat(Fixtures.http(server, "GET", "/v1/images/" + two.digest(), null).body())
          .contains(shared);

      // A runtime that stores none of the blobs gets the whole file (and here refuses the
      // corrupted layer, naming the mismatch).
      try (RuntimeServer fresh = RuntimeServer.start(Fixtures.options(dir.resolve("fresh")))) {
        assertThatThrownBy(() -> fresh.client().importImage(archive(two)))
            .hasMessageContaining("does not match its digest");
      }
    }
  }

  private static ImageSource archive(TestImages.Built built) {
    return new ImageSource.Archive(built.tarball(), built.digest(), "local/test");
  }

  private static ImageRecord importArchive(ImageStore store, TestImages.Built built)
      throws Exception {
    try (var in = Files.newInputStream(built.tarball())) {
      return store.importArchive(in, built.digest(), "local/test");
    }
  }

  /** Flips a byte in the middle of blob {@code digest}'s entry of {@code tarball}. */
  private static void corruptBlob(Path tarball, String digest) throws Exception {
    long offset = -1;
    long size = 0;
    try (TarFile tar = new TarFile(tarball)) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        if (entry.getName().endsWith(digest.substring("sha256:".length()))) {
          offset = entry.getDataOffset();
          size = entry.getSize();
        }
      }
    }
    assertThat(offset).as("blob %s in %s", digest, tarball).isPositive();
    try (RandomAccessFile file = new RandomAccessFile(tarball.toFile(), "rw")) {
      long at = offset + size / 2;
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ 0xff);
    }
  }

  /** The largest blob both archives hold (their dependency layer). */
  private static String largestSharedBlob(TestImages.Built a, TestImages.Built b) throws Exception {
    Map<String, Long> inB = ThinArchive.blobs(b.tarball());
    return ThinArchive.blobs(a.tarball()).entrySet().stream()
        .filter(e -> inB.containsKey(e.getKey()))
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }
}
