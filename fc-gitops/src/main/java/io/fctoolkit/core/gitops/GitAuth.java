package io.fctoolkit.core.gitops;

import java.nio.file.Path;

/**
 * How pushes and fetches authenticate. HTTPS remotes get {@code username} and {@code token} (the
 * token is the password; GitHub's convention for tokens is the user name {@code x-access-token});
 * SSH remotes use the keys of {@code sshDir} and of ssh-agent and check the server against {@code
 * sshDir/known_hosts}, never accepting an unknown host. File remotes need neither.
 *
 * @param username the HTTPS user name sent with the token, or null for {@code x-access-token}
 * @param token the HTTPS token, or null; never printed
 * @param source where the token came from, for messages (e.g. {@code FC_GIT_TOKEN}), or null
 * @param sshDir the SSH folder (keys, known_hosts, config), or null for {@code ~/.ssh}
 */
public record GitAuth(String username, String token, String source, Path sshDir) {

  /** The user name GitHub (and Gitea, GitLab with "any non-blank name") takes with a token. */
  public static final String DEFAULT_USERNAME = "x-access-token";

  /** No token, {@code ~/.ssh}. */
  public static final GitAuth NONE = new GitAuth(null, null, null, null);

  public GitAuth {
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (username != null && username.isBlank()) {
      username = null;
    }
  }

  /** A token (from {@code source}) sent as {@code username}, or as the default user when null. */
  public static GitAuth token(String username, String token, String source) {
    return new GitAuth(username, token, source, null);
  }

  /** The same with another SSH folder. */
  public GitAuth withSshDir(Path dir) {
    return new GitAuth(username, token, source, dir);
  }

  /** The user name sent with the token. */
  public String effectiveUsername() {
    return username != null ? username : DEFAULT_USERNAME;
  }

  @Override
  public String toString() {
    return "GitAuth[username="
        + effectiveUsername()
        + ", token="
        + (token == null ? "none" : "****")
        + ", source="
        + source
        + ", sshDir="
        + sshDir
        + "]";
  }
}
