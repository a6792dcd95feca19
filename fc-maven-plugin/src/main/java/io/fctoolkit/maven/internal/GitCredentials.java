package io.fctoolkit.maven.internal;

import io.fctoolkit.core.gitops.GitAuth;
import java.util.Map;

/**
 * Where the Git token of {@code -Dfc.via=git} and {@code -Dfc.record=git} comes from, first match
 * wins: {@code -Dfc.git.token}, the password of the {@code <server>} with id {@code fc-git} (or
 * {@code -Dfc.git.serverId}) in Maven's settings.xml, the environment's {@code FC_GIT_TOKEN}, then
 * {@code GITHUB_TOKEN} (what GitHub Actions hands a job). The user name is {@code
 * -Dfc.git.username}, else the server's {@code <username>} when the token is the server's, else
 * {@code x-access-token}. No Maven types, so it is tested as a plain function.
 */
public final class GitCredentials {

  /** The settings.xml server id read when {@code fc.git.serverId} is unset. */
  public static final String DEFAULT_SERVER_ID = "fc-git";

  /** Where a token can come from, for hints; the same order as {@link #resolve}. */
  public static final String SOURCES =
      "the token is read from -Dfc.git.token, the <password> of <server> '"
          + DEFAULT_SERVER_ID
          + "' (or -Dfc.git.serverId) in settings.xml, FC_GIT_TOKEN or GITHUB_TOKEN"
          + " (docs/gitops.md, 'Push authentication')";

  /** A settings.xml server entry, already decrypted; its password is never printed. */
  public record Server(String id, String username, String password) {
    @Override
    public String toString() {
      return "Server[id=" + id + ", username=" + username + ", password=****]";
    }
  }

  private GitCredentials() {}

  /** The server id to read: {@code fc.git.serverId}, else {@value #DEFAULT_SERVER_ID}. */
  public static String serverId(String property) {
    return property == null || property.isBlank() ? DEFAULT_SERVER_ID : property.trim();
  }

  /**
   * @param tokenProperty {@code fc.git.token}, or null
   * @param usernameProperty {@code fc.git.username}, or null
   * @param server the settings.xml server of {@link #serverId}, or null
   * @param env the process environment
   */
  public static GitAuth resolve(
      String tokenProperty, String usernameProperty, Server server, Map<String, String> env) {
    String username = blankToNull(usernameProperty);
    if (blankToNull(tokenProperty) != null) {
      return GitAuth.token(username, tokenProperty.trim(), "-Dfc.git.token");
    }
    if (server != null && blankToNull(server.password()) != null) {
      return GitAuth.token(
          username != null ? username : blankToNull(server.username()),
          server.password().trim(),
          "settings.xml server '" + server.id() + "'");
    }
    for (String variable : new String[] {"FC_GIT_TOKEN", "GITHUB_TOKEN"}) {
      String value = blankToNull(env.get(variable));
      if (value != null) {
        return GitAuth.token(username, value.trim(), variable);
      }
    }
    return GitAuth.token(username, null, null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
