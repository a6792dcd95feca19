package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Version;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launch specs from an image's configuration: its entrypoint's classpath rewritten to the unpacked
 * {@code /app}, its environment, and the host contract's variables; one per version, with the
 * class-data archive once it has been made.
 */
public final class LaunchSpecs {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchSpecs.class);

  static final String HOST_MAIN = "io.fctoolkit.host.FcHost";

  /** Image variables that describe the image's own base, not the function. */
  private static final Set<String> BASE_ENV =
      Set.of("PATH", "JAVA_HOME", "HOME", "JAVA_VERSION", "LANG");

  private final ImageStore images;
  private final InstanceJava jdk;
  private final ArchiveTrainer archives;
  private final String user;
  private final Map<String, LaunchSpec> specs = new ConcurrentHashMap<>();

  /**
   * @param user the Unix user instances run as, or null for the runtime's own
   */
  public LaunchSpecs(ImageStore images, InstanceJava jdk, ArchiveTrainer archives, String user) {
    this.images = images;
    this.jdk = jdk;
    this.archives = archives;
    this.user = user;
  }

  /**
   * The launch spec of a version, with the best class-data archive the background training runs
   * have made so far (the version's own, else the shared one): looked up at every launch until the
   * version's own exists, so an instance started after a training run uses what it made.
   */
  public LaunchSpec forVersion(Version v) {
    String key = VersionPools.key(v.function(), v.number());
    LaunchSpec spec = specs.computeIfAbsent(key, k -> of(v, images.unpackApp(v.imageDigest())));
    if (!archives.hasOwnArchive(spec)) {
      LaunchSpec best = archives.withArchiveIfMade(spec);
      if (!java.util.Objects.equals(best.archive(), spec.archive())) {
        specs.put(key, best);
        spec = best;
      }
    }
    return spec;
  }

  /** Remembers the spec publish made, so launches need not read the image again. */
  public void put(Version v, LaunchSpec spec) {
    specs.put(VersionPools.key(v.function(), v.number()), spec);
  }

  public void forget(String function, int number) {
    specs.remove(VersionPools.key(function, number));
  }

  /**
   * Reads the image's entrypoint and environment and rewrites its classpath to the unpacked app
   * {@code app}.
   */
  public LaunchSpec of(Version v, Path app) {
    return of(v, images.config(v.imageDigest()).path("config"), app);
  }

  /** The launch spec of {@code v} from the image configuration's {@code config} object. */
  LaunchSpec of(Version v, JsonNode config, Path app) {
    List<String> entrypoint = new ArrayList<>();
    config.path("Entrypoint").forEach(n -> entrypoint.add(n.asText()));
    String classpath = "/app/host/*:/app/libs/*:/app/resources:/app/classes";
    String main = HOST_MAIN;
    for (int i = 0; i < entrypoint.size() - 1; i++) {
      String arg = entrypoint.get(i);
      if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
        classpath = entrypoint.get(i + 1);
        for (int j = i + 2; j < entrypoint.size(); j++) {
          if (!entrypoint.get(j).startsWith("-")) {
            main = entrypoint.get(j);
            break;
          }
        }
        break;
      }
    }
    List<Path> cp = classpath(v, classpath, app);
    Map<String, String> env = new LinkedHashMap<>();
    config
        .path("Env")
        .forEach(
            n -> {
              String s = n.asText();
              int eq = s.indexOf('=');
              if (eq > 0 && !BASE_ENV.contains(s.substring(0, eq))) {
                env.put(s.substring(0, eq), s.substring(eq + 1));
              }
            });
    FunctionConfig fc = v.config();
    env.putAll(fc.env());
    env.put("PORT", "0");
    env.put("FUNCTION_TARGET", fc.handler());
    env.put("FC_BIND", "127.0.0.1");
    // The router is the authority on slots: it never has more than `concurrency` requests at an
    // instance whose answers it has not received. The host frees its slot only after the answer
    // is written, so a slot freed here may still be busy there for a moment; twice the limit
    // keeps the host's own 429 for real overload and never trips on that overlap.
    env.put("FC_CONCURRENCY", Integer.toString(2 * fc.resources().concurrency()));
    env.put("FC_TIMEOUT_MS", Long.toString(fc.resources().timeout().toMillis()));
    // Platform-level, not content: which version and function an instance serves, so a function
    // can report it (the grader's graderVersion). Set last so a function's env cannot fake it.
    env.put("FC_VERSION", Integer.toString(v.number()));
    env.put("FC_FUNCTION_NAME", v.function());
    return new LaunchSpec(
        v.function(),
        v.number(),
        jdk,
        cp,
        main,
        env,
        LaunchSpec.heapFor(fc.resources().memoryMb()),
        null,
        app,
        user);
  }

  /**
   * The entries of an image classpath that lie under {@code /app}, as files of {@code app}. An
   * entry that leads out of {@code app} (through {@code ..} or a link) is left out: the unpacked
   * app sits in the runtime's state folder, whose token must stay out of functions' reach.
   */
  private List<Path> classpath(Version v, String classpath, Path app) {
    Path root = realPath(app);
    List<Path> cp = new ArrayList<>();
    for (String element : classpath.split(":")) {
      if (!element.equals("/app") && !element.startsWith("/app/")) {
        continue; // outside the application: the base image's files are not unpacked
      }
      String rel = element.equals("/app") ? "" : element.substring(5);
      boolean wildcard = rel.endsWith("*");
      Path entry = app.resolve(wildcard ? rel.substring(0, rel.length() - 1) : rel);
      if (Files.exists(entry) && !realPath(entry).startsWith(root)) {
        LOG.warn(
            "function={} version={} classpath entry {} leads out of /app; left out",
            v.function(),
            v.number(),
            element);
        continue;
      }
      if (wildcard) {
        if (Files.isDirectory(entry)) {
          List<Path> jars;
          try (Stream<Path> list = Files.list(entry)) {
            jars =
                list.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> realPath(p).startsWith(root))
                    .sorted()
                    .toList();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          // The same jar at the same path in every version that shares its layer: see
          // ArchiveTrainer.archivePath.
          for (Path jar : jars) {
            String inApp = app.relativize(jar).toString().replace(File.separatorChar, '/');
            cp.add(images.layerFile(v.imageDigest(), inApp).orElse(jar));
          }
        }
      } else if (Files.isDirectory(entry)) {
        // Class-data archives refuse non-empty folders on the classpath: use a jar of it.
        jarOf(entry, app.resolveSibling(app.getFileName() + ".jars")).ifPresent(cp::add);
      } else if (Files.exists(entry)) {
        cp.add(entry);
      }
    }
    return cp;
  }

  private static Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("could not resolve " + p, e);
    }
  }

  /** A jar with the files of {@code dir}, made once; empty when the folder is empty. */
  private static Optional<Path> jarOf(Path dir, Path jarsDir) {
    try {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        // Not through links: a link in an image must not pack a file from outside it.
        files =
            walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
      }
      if (files.isEmpty()) {
        return Optional.empty();
      }
      Files.createDirectories(jarsDir);
      Path jar = jarsDir.resolve(dir.getFileName() + ".jar");
      if (Files.exists(jar)) {
        return Optional.of(jar);
      }
      // A unique work file: two versions of one image may be launched at once.
      Path tmp = Files.createTempFile(jarsDir, dir.getFileName() + ".jar.", ".tmp");
      try (var out = new JarOutputStream(Files.newOutputStream(tmp))) {
        for (Path f : files) {
          var entry = new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/'));
          entry.setTime(0);
          out.putNextEntry(entry);
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return Optional.of(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("could not pack " + dir, e);
    }
  }

  /**
   * Checks that {@code handler} is a class on the spec's classpath.
   *
   * @throws InvalidRequestException naming {@code config.handler} when it is not
   */
  static void checkHandler(LaunchSpec spec, String handler, String digest) {
    String entry = handler.replace('.', '/') + ".class";
    boolean hasHost = false;
    for (Path p : spec.classpath()) {
      if (Files.isDirectory(p)) {
        if (Files.exists(p.resolve(entry))) {
          return;
        }
      } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        try (ZipFile zip = new ZipFile(p.toFile())) {
          if (zip.getEntry(entry) != null) {
            return;
          }
          hasHost |= zip.getEntry(HOST_MAIN.replace('.', '/') + ".class") != null;
        } catch (IOException e) {
          // an unreadable jar cannot hold the handler
        }
      }
    }
    throw new InvalidRequestException(
        "config.handler",
        "class "
            + handler
            + " is not in image "
            + digest
            + " (looked in "
            + spec.classpath().size()
            + " classpath entries under /app"
            + (hasHost ? "" : "; the image has no fc-host jar either")
            + ")",
        "check the handler's package and class name, and that the image was built from the"
            + " module that contains it");
  }
}
