package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances under a Unix user of their own ({@code --instance-user}), for a runtime run as root.
 */
final class InstanceUser {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceUser.class);

  private InstanceUser() {}

  /**
   * Checks that instances can run as {@code user} and closes the state folder to them: they may
   * pass through it to their app and class-data archives, but not list it nor read the token, the
   * state file, the logs or the pid files (all the runtime's own, as root).
   */
  static void separate(String user, Path stateDir) throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      throw new IllegalArgumentException(
          "--instance-user (FC_INSTANCE_USER) is '"
              + user
              + "' but the runtime runs as uid "
              + uid
              + ", not root; only root can start instances as another user: unset it, or start"
              + " the runtime as root");
    }
    try {
      stateDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalArgumentException(
          "--instance-user (FC_INSTANCE_USER) names user '"
              + user
              + "', which does not exist; create it (useradd --user-group "
              + user
              + ") or name another",
          e);
    }
    Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx--x--x"));
    for (String own : List.of("logs", "run")) {
      Path dir = Files.createDirectories(stateDir.resolve(own));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
    for (String shared : List.of("images", "archives")) {
      Path dir = Files.createDirectories(stateDir.resolve(shared));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Instance.runAs(user); // fails now, not at the first launch, when util-linux is missing
    LOG.info("instances run as user {}", user);
  }
}
