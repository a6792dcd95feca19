package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Version;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class-data archives: where a launch spec's archive is, and the background training run that makes
 * it (JDK 25's AOT cache where the instance JDK has it, AppCDS on 17).
 */
public final class ArchiveTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveTrainer.class);

  private final ImageStore images;
  private final InstanceJava jdk;
  private final Path archivesDir;
  private final Function<String, Path> publishLog;
  private final Executor launcher;
  private final Duration startTimeout;
  private final Path pidDir;
  // Archives whose training run is going on.
  private final Set<String> training = ConcurrentHashMap.newKeySet();

  /**
   * @param publishLog where a function's training output goes
   * @param launcher runs the training runs
   */
  public ArchiveTrainer(
      ImageStore images,
      InstanceJava jdk,
      Path archivesDir,
      Function<String, Path> publishLog,
      Executor launcher,
      Duration startTimeout,
      Path pidDir) {
    this.images = images;
    this.jdk = jdk;
    this.archivesDir = archivesDir;
    this.publishLog = publishLog;
    this.launcher = launcher;
    this.startTimeout = startTimeout;
    this.pidDir = pidDir;
  }

  /**
   * {@code spec} with the best archive made so far: the version's own ({@link
   * #versionArchivePath}), else the shared one of its host and dependency jars ({@link
   * #archivePath}), else none.
   */
  public LaunchSpec withArchiveIfMade(LaunchSpec spec) {
    Path own = versionArchivePath(spec);
    if (Files.exists(own)) {
      return spec.withArchive(own);
    }
    Path shared = archivePath(spec);
    return Files.exists(shared) ? spec.withArchive(shared) : spec.withArchive(null);
  }

  /** Whether {@code spec} already has the best archive there can be: the version's own. */
  public boolean hasOwnArchive(LaunchSpec spec) {
    return spec.archive() != null && spec.archive().equals(versionArchivePath(spec));
  }

  /**
   * Where the version's own archive is: over its whole classpath, the function's classes and
   * resources included, so that it also holds the function's classes and, on JDK 25, their method
   * profiles (JEP 515), which the shared archive cannot (its training loads them in a child class
   * loader). Versions of one image share it. Measured on the grader (docs/performance.md): most of
   * a cold grading is the grader's own hot loops, whose profiles only this archive has.
   */
  Path versionArchivePath(LaunchSpec spec) {
    if (archivedPrefix(spec) == 0) {
      return archivePath(spec); // the shared archive covers the whole classpath already
    }
    return pathFor("version", spec, spec.classpath());
  }

  /**
   * Where the class-data archive of {@code spec} is: one per handler and archived classpath (and
   * JDK), not per version. The archived classpath is the leading run of jars that come straight
   * from image layers (the host and the dependencies, at per-layer paths that do not change between
   * images sharing the layer); the function's own classes and resources, which change with every
   * deploy, follow them on the classpath and stay out of the archive. A JVM accepts an archive
   * whose classpath is a prefix of its own, so an incremental deploy that changes only the
   * function's classes finds its dependencies' archive ready and even its first instance starts
   * with it. Measured on the grader (JDK 25, load ~29, fc-host started by hand): initialisation
   * 1.6-2.3 s with such an archive against 2.7-3.2 s without.
   */
  Path archivePath(LaunchSpec spec) {
    int prefix = archivedPrefix(spec);
    List<Path> archived = prefix == 0 ? spec.classpath() : spec.classpath().subList(0, prefix);
    return pathFor("", spec, archived);
  }

  private Path pathFor(String kind, LaunchSpec spec, List<Path> archived) {
    StringBuilder key = new StringBuilder(kind);
    if (!kind.isEmpty()) {
      key.append('\n');
    }
    key.append(spec.env().getOrDefault("FUNCTION_TARGET", ""));
    for (Path p : archived) {
      key.append('\n').append(p);
    }
    String hash =
        HexFormat.of()
            .formatHex(ImageStore.sha256().digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    return archivesDir
        .resolve(hash)
        .resolve(jdk.archiveTag() + (jdk.hasAotCache() ? ".aot" : ".jsa"));
  }

  /** The number of leading classpath entries that are per-layer files (0: none, archive all). */
  private int archivedPrefix(LaunchSpec spec) {
    int n = 0;
    while (n < spec.classpath().size() && images.isLayerFile(spec.classpath().get(n))) {
      n++;
    }
    return n == spec.classpath().size() ? 0 : n;
  }

  /**
   * The training run's spec: the archived prefix on the classpath and the rest (the function's own
   * classes and resources) through the host's {@code FC_FUNCTION_CLASSPATH}, whose classes are
   * loaded by a child class loader and never archived; everything on the classpath is.
   */
  LaunchSpec trainingSpec(LaunchSpec spec) {
    int prefix = archivedPrefix(spec);
    LaunchSpec training = spec.withEnv("FC_TRAIN", "1");
    if (prefix == 0) {
      return training;
    }
    List<Path> rest = spec.classpath().subList(prefix, spec.classpath().size());
    return training
        .withClasspath(spec.classpath().subList(0, prefix))
        .withEnv(
            "FC_FUNCTION_CLASSPATH",
            String.join(File.pathSeparator, rest.stream().map(Path::toString).toList()));
  }

  /**
   * Makes the version's missing class-data archives with the host contract's training run ({@code
   * FC_TRAIN=1}), in the background and at low CPU priority: publish already proved the function
   * loads with a plain start, so the runs only cost or save the archive. First the version's own
   * archive (whole classpath), then, when none exists yet, the shared one of its host and
   * dependency jars, which the next version's first instances use while their own is trained. One
   * run per content at a time; any failure is logged and instances keep starting with the best
   * archive there is.
   */
  public void trainInBackground(Version version, LaunchSpec spec) {
    Path own = versionArchivePath(spec);
    Path shared = archivePath(spec);
    if (Files.exists(own) && Files.exists(shared)) {
      return;
    }
    String key = own.toString();
    if (!training.add(key)) {
      return;
    }
    launcher.execute(
        () -> {
          try {
            train(version.function(), spec.withEnv("FC_TRAIN", "1"), own);
            if (!shared.equals(own)) {
              train(version.function(), trainingSpec(spec), shared);
            }
          } finally {
            training.remove(key);
          }
        });
  }

  private void train(String function, LaunchSpec spec, Path archive) {
    if (Files.exists(archive)) {
      return;
    }
    long start = System.nanoTime();
    Path workDir = null;
    // Low priority makes it slow on a busy machine; it blocks nothing, so give it time.
    Duration limit = startTimeout.plusMinutes(10);
    try (LogSink log = new LogSink(publishLog.apply(function))) {
      Files.createDirectories(archive.getParent());
      // One work folder per run (two functions with the same content may train at once), owned by
      // the user the run executes as, who may write nothing else here.
      workDir =
          Files.createDirectory(
              archive.resolveSibling(
                  archive.getFileName() + "." + System.nanoTime() + ".training"));
      if (spec.user() != null) {
        Files.setOwner(workDir, owner(spec.user()));
      }
      // Not named like an archive: nothing may take it for one before it is moved into place.
      Path work = workDir.resolve(archive.getFileName() + ".work");
      Integer status =
          Instance.runToExit(
              function + "-v" + spec.version() + "-training",
              spec,
              spec.java().trainingFlags(work),
              log,
              limit,
              pidDir);
      if (status == null) {
        LOG.warn(
            "function={} training run did not finish within {} ms; no class-data archive",
            function,
            limit.toMillis());
      } else if (status == 0 && Files.exists(work) && Files.size(work) > 0) {
        if (spec.user() != null) {
          // Instances may read it, but only the runtime may change it.
          Files.setOwner(work, Files.getOwner(archive.getParent()));
        }
        Files.move(work, archive, StandardCopyOption.ATOMIC_MOVE);
        LOG.info(
            "function={} class-data archive {} made in {} ms",
            function,
            archive.getFileName(),
            (System.nanoTime() - start) / 1_000_000);
      } else {
        LOG.warn(
            "function={} training run ended with status {}; no class-data archive: {}",
            function,
            status,
            LogSink.tail(log.file(), 4).strip().replace('\n', ' '));
      }
    } catch (InterruptedException e) {
      // The runtime is closing; runToExit killed the run.
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.warn("function={} class-data archive not made: {}", function, e.toString());
    } finally {
      if (workDir != null) {
        deleteTree(workDir);
      }
    }
  }

  private static UserPrincipal owner(String user) throws IOException {
    return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ArchiveTrainer::deleteQuietly);
    } catch (IOException e) {
      // a leftover work folder is harmless: it is never read
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover work file is harmless: it is never read
    }
  }
}
