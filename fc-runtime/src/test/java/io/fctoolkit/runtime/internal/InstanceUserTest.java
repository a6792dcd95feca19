package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances under another Unix user ({@code --instance-user}), for a runtime running as root: runs
 * only as root, with a throwaway user made by {@code useradd} and removed after.
 */
class InstanceUserTest {

  private static final String USER = "fcinst" + ProcessHandle.current().pid() % 100_000;
  private static boolean created;

  @TempDir Path dir;

  @BeforeAll
  static void createUser() throws Exception {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assumeThat(uid).as("this test needs root, to run an instance as another user").isEqualTo(0);
    Process p =
        new ProcessBuilder(
                "useradd", "--no-create-home", "--user-group", "--shell", "/bin/false", USER)
            .inheritIO()
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).isTrue();
    created = true;
  }

  @AfterAll
  static void removeUser() throws Exception {
    if (created) {
      new ProcessBuilder("userdel", USER).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void instance_runsAsTheInstanceUser_getsItsSecret_andCannotReadTheToken() throws Exception {
    // Given a state folder whose token is root's alone, and an app folder others may read
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Path token = dir.resolve("token");
    AtomicFiles.write(token, "root-only-token".getBytes(StandardCharsets.UTF_8), true);
    Path app = Files.createDirectory(dir.resolve("app"));
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The instance user must read the fake host's class: copy it out of the build folder, which
    // may sit in a folder only root can enter (a CI clone under a 0700 temporary folder).
    Path classes = readableCopyOfFakeHost(app.resolve("classes"));
    InstanceJava java = InstanceJava.of(Path.of(System.getProperty("java.home"))).orElseThrow();
    LaunchSpec spec =
        new LaunchSpec(
            "fn",
            1,
            java,
            List.of(classes),
            FakeHostMain.class.getName(),
            Map.of(),
            64,
            null,
            app,
            USER);
    LogSink log = new LogSink(dir.resolve("v1.log"));
    ExecutorService launcher = Executors.newCachedThreadPool();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    // When it is launched
    Instance instance =
        Instance.launch("fn-v1-1", spec, List.of(), log, Duration.ofSeconds(30), null);
    try {
      // Then its process is the user's
      String status = Files.readString(Path.of("/proc/" + instance.pid() + "/status"));
      String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
      Object userUid =
          Files.getAttribute(
              Path.of("/proc/" + instance.pid()), "unix:uid"); // owner of /proc/pid: its euid
      assertThat(userUid).isNotEqualTo(0);
      assertThat(uid.split("\\s+")[1]).isEqualTo(userUid.toString());

      // And the runtime still reaches it with the secret, while the token stays out of reach
      VersionPool pool =
          new VersionPool(
              new Version(
                  "fn",
                  1,
                  "sha256:" + "0".repeat(64),
                  FunctionConfig.builder("fn", "x.Handler").build(),
                  "c",
                  null,
                  Instant.now()),
              () -> spec,
              log,
              new ServingStats(),
              new InstanceClient(),
              launcher,
              timer,
              new PoolSettings(
                  10, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(1), null));
      pool.adopt(instance);
      Call call = new Call("GET", "/?read=" + token, Map.of(), new byte[0], null);
      pool.submit(call);
      InvokeResponse r = call.future().get(20, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .startsWith("unreadable:")
          .contains("AccessDenied")
          .doesNotContain("root-only-token");
      pool.close(true);
    } finally {
      instance.kill();
      launcher.shutdownNow();
      timer.shutdownNow();
      log.close();
    }
  }

  private static Path readableCopyOfFakeHost(Path classes) throws Exception {
    Path built =
        Path.of(FakeHostMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String packagePath = FakeHostMain.class.getPackageName().replace('.', '/');
    Path target = classes.resolve(packagePath);
    Files.createDirectories(target);
    for (Path p = target; p.startsWith(classes); p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    try (var files = Files.list(built.resolve(packagePath))) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(FakeHostMain.class.getSimpleName()) && name.endsWith(".class")) {
          Path copy = Files.copy(file, target.resolve(name));
          Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
    return classes;
  }
}
