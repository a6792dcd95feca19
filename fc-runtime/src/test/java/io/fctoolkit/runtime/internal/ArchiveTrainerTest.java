package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class-data archive an instance starts with, without training anything. */
class ArchiveTrainerTest {

  @TempDir Path dir;

  @Test
  void withArchiveIfMade_prefersTheVersionsOwn_overTheSharedOne_overNone() throws Exception {
    // Given a classpath of layer jars (host, dependencies) and the version's own classes jar
    ImageStore images = new ImageStore(dir.resolve("images"));
    Path host = Files.createDirectories(dir.resolve("images/layers/l1")).resolve("host.jar");
    Path lib = Files.createDirectories(dir.resolve("images/layers/l2")).resolve("lib.jar");
    Path classes = Files.createDirectories(dir.resolve("app.jars")).resolve("classes.jar");
    for (Path jar : List.of(host, lib, classes)) {
      Files.write(jar, new byte[] {1});
    }
    ArchiveTrainer trainer = trainer(images);
    LaunchSpec spec = spec(List.of(host, lib, classes));
    Path shared = trainer.archivePath(spec);
    Path own = trainer.versionArchivePath(spec);
    assertThat(own).isNotEqualTo(shared);

    // Then: none made, none used
    assertThat(trainer.withArchiveIfMade(spec).archive()).isNull();

    // the shared one while the version's own is being trained
    Files.createDirectories(shared.getParent());
    Files.write(shared, new byte[] {1});
    LaunchSpec withShared = trainer.withArchiveIfMade(spec);
    assertThat(withShared.archive()).isEqualTo(shared);
    assertThat(trainer.hasOwnArchive(withShared)).isFalse();

    // and the version's own once it exists
    Files.createDirectories(own.getParent());
    Files.write(own, new byte[] {1});
    LaunchSpec withOwn = trainer.withArchiveIfMade(withShared);
    assertThat(withOwn.archive()).isEqualTo(own);
    assertThat(trainer.hasOwnArchive(withOwn)).isTrue();
  }

  @Test
  void sharedArchive_dependsOnTheLayerJarsOnly_theVersionsOwnOnTheWholeClasspath()
      throws Exception {
    // Given two versions with the same layer jars and different classes jars
    ImageStore images = new ImageStore(dir.resolve("images"));
    Path host = Files.createDirectories(dir.resolve("images/layers/l1")).resolve("host.jar");
    Path v1 = dir.resolve("v1.jars/classes.jar");
    Path v2 = dir.resolve("v2.jars/classes.jar");
    ArchiveTrainer trainer = trainer(images);
    LaunchSpec one = spec(List.of(host, v1));
    LaunchSpec two = spec(List.of(host, v2));

    // Then
    assertThat(trainer.archivePath(two)).isEqualTo(trainer.archivePath(one));
    assertThat(trainer.versionArchivePath(two)).isNotEqualTo(trainer.versionArchivePath(one));
    // A classpath of layer jars only has one archive: the shared one is the whole classpath.
    LaunchSpec layersOnly = spec(List.of(host));
    assertThat(trainer.versionArchivePath(layersOnly)).isEqualTo(trainer.archivePath(layersOnly));
  }

  private ArchiveTrainer trainer(ImageStore images) {
    InstanceJava java = InstanceJava.of(Path.of(System.getProperty("java.home"))).orElseThrow();
    return new ArchiveTrainer(
        images,
        java,
        dir.resolve("archives"),
        f -> dir.resolve("publish.log"),
        Executors.newSingleThreadExecutor(),
        Duration.ofSeconds(5),
        null);
  }

  private LaunchSpec spec(List<Path> classpath) {
    InstanceJava java = InstanceJava.of(Path.of(System.getProperty("java.home"))).orElseThrow();
    return new LaunchSpec(
        "fn",
        1,
        java,
        classpath,
        LaunchSpecs.HOST_MAIN,
        Map.of("FUNCTION_TARGET", "x.Handler"),
        64,
        null,
        dir,
        null);
  }
}
