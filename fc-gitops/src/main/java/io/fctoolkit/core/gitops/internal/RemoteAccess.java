package io.fctoolkit.core.gitops.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.gitops.GitAuth;
import io.fctoolkit.core.gitops.GitPromotionException;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.DefaultProxyDataFactory;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.util.FS;

/**
 * Authenticates fetches and pushes to one remote and explains their failures without a credential:
 * HTTPS remotes get the token, SSH remotes JGit's Apache MINA sshd client with the keys and {@code
 * known_hosts} of the SSH folder (an unknown or changed host key is refused, never added). Every
 * message, and every message of a kept cause, has the token and any user info of the URL removed.
 */
final class RemoteAccess implements AutoCloseable {

  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

  private final GitAuth auth;
  private final String remoteName;
  private final URIish url;
  private final Path sshDir;
  private CheckedSessionFactory ssh;

  /**
   * @param auth the credentials
   * @param remoteName the remote's name, e.g. {@code origin}
   * @param url the remote's URL as configured (may hold user info, which is never printed)
   */
  RemoteAccess(GitAuth auth, String remoteName, String url) {
    this.auth = requireNonNull(auth, "auth");
    this.remoteName = requireNonNull(remoteName, "remoteName");
    URIish parsed;
    try {
      parsed = url == null ? null : new URIish(url);
    } catch (URISyntaxException e) {
      parsed = null;
    }
    this.url = parsed;
    this.sshDir =
        auth.sshDir() != null
            ? auth.sshDir().toAbsolutePath()
            : FS.DETECTED.userHome().toPath().resolve(".ssh");
  }

  /** Adds the credentials this remote's protocol takes to {@code command}. */
  <C extends TransportCommand<C, ?>> C configure(C command) {
    if (isHttp() && auth.token() != null) {
      command.setCredentialsProvider(tokenProvider());
    }
    if (isSsh()) {
      command.setTransportConfigCallback(
          transport -> {
            if (transport instanceof SshTransport sshTransport) {
              sshTransport.setSshSessionFactory(sshFactory());
            }
          });
    }
    return command;
  }

  private CredentialsProvider tokenProvider() {
    return new UsernamePasswordCredentialsProvider(auth.effectiveUsername(), auth.token());
  }

  private synchronized SshdSessionFactory sshFactory() {
    if (ssh == null) {
      ssh = new CheckedSessionFactory(sshDir);
    }
    return ssh;
  }

  private boolean isHttp() {
    String scheme = scheme();
    return scheme.equals("http") || scheme.equals("https");
  }

  private boolean isSsh() {
    String scheme = scheme();
    // scp-like "git@host:path" has no scheme but a host.
    return scheme.equals("ssh")
        || scheme.equals("ssh+git")
        || scheme.equals("git+ssh")
        || (scheme.isEmpty() && url != null && url.getHost() != null);
  }

  private String scheme() {
    return url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
  }

  /** The remote's URL without user info, for messages. */
  String printableUrl() {
    return url == null ? remoteName : stripUserInfo(url.toString());
  }

  /**
   * The failure of {@code operation} ({@code fetch from}, {@code push to}) as a message naming the
   * remote and the fix; {@code error} is kept as the cause with the credential removed.
   */
  GitPromotionException explain(String operation, Exception error) {
    String text = redact(messages(error));
    Throwable cause = Redacted.of(error, auth.token());
    String where = "remote '" + remoteName + "' (" + printableUrl() + ")";
    CheckedSessionFactory factory = ssh;
    if (factory != null && factory.rejected != null) {
      Rejected rejected = factory.rejected;
      String port = url != null && url.getPort() > 0 ? "-p " + url.getPort() + " " : "";
      String host = url != null ? url.getHost() : rejected.address();
      return new GitPromotionException(
          "cannot "
              + operation
              + " "
              + where
              + ": the SSH host key of "
              + rejected.address()
              + " ("
              + rejected.type()
              + " "
              + rejected.fingerprint()
              + ") "
              + (rejected.known()
                  ? "does NOT match the one in " + sshDir.resolve("known_hosts")
                  : "is not in " + sshDir.resolve("known_hosts"))
              + "; host keys are checked strictly",
          rejected.known()
              ? "if the host really changed its key (check its published fingerprints), remove the"
                  + " old line with ssh-keygen -R "
                  + rejected.address()
                  + " and add the new one"
              : "compare the fingerprint with the one the Git host publishes, then add it: "
                  + "ssh-keyscan "
                  + port
                  + host
                  + " >> "
                  + sshDir.resolve("known_hosts"),
          "git.ssh",
          cause);
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (isSsh()
        && (lower.contains("auth") || lower.contains("log in") || lower.contains("publickey"))) {
      return new GitPromotionException(
          "cannot "
              + operation
              + " "
              + where
              + ": no SSH key was accepted for user '"
              + (url == null || url.getUser() == null ? "git" : url.getUser())
              + "' ("
              + text
              + ")",
          "add the public key of a key in "
              + sshDir
              + " (id_ed25519, id_ecdsa, id_rsa or an IdentityFile of its config) to the Git host"
              + " with write access (a deploy key for CI), or load the key into ssh-agent",
          "git.ssh",
          cause);
    }
    if (isHttp()
        && (lower.contains("not authorized")
            || lower.contains("authentication is required")
            || lower.contains("401"))) {
      return auth.token() == null
          ? new GitPromotionException(
              "cannot " + operation + " " + where + ": the remote asks for credentials",
              "give a token that may push to the repository",
              "git.token",
              cause)
          : new GitPromotionException(
              "cannot "
                  + operation
                  + " "
                  + where
                  + ": the remote refused the token"
                  + (auth.source() == null ? "" : " from " + auth.source())
                  + " (user "
                  + auth.effectiveUsername()
                  + ")",
              "check that the token is valid, not expired, and may write to the repository"
                  + " (GitHub: contents: write)",
              "git.token",
              cause);
    }
    if (isHttp() && (lower.contains("not permitted") || lower.contains("403"))) {
      return new GitPromotionException(
          "cannot " + operation + " " + where + ": the token may not write to it (" + text + ")",
          "give the token write access to the repository (GitHub: contents: write)",
          "git.token",
          cause);
    }
    return new GitPromotionException(
        "cannot " + operation + " " + where + ": " + text,
        "check that the remote is reachable and the credentials are set",
        null,
        cause);
  }

  /** {@code text} without the token and without user info in URLs. */
  String redact(String text) {
    return redact(text, auth.token());
  }

  static String redact(String text, String token) {
    if (text == null) {
      return null;
    }
    String clean = token == null ? text : text.replace(token, "****");
    return stripUserInfo(clean);
  }

  static String stripUserInfo(String text) {
    return USER_INFO.matcher(text).replaceAll("");
  }

  /** The distinct messages of an exception and its causes, outermost first. */
  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank() && all.indexOf(message) < 0) {
        if (all.length() > 0) {
          all.append(": ");
        }
        all.append(message);
      }
    }
    return all.length() == 0 ? error.getClass().getSimpleName() : all.toString();
  }

  @Override
  public synchronized void close() {
    if (ssh != null) {
      ssh.close();
      ssh = null;
    }
  }

  /** A host key the server offered and the known hosts refused. */
  record Rejected(String address, String type, String fingerprint, boolean known) {}

  /**
   * JGit's sshd client on one SSH folder, recording which host key it refused so that the error can
   * name the host, the key and the command that trusts it.
   */
  private static final class CheckedSessionFactory extends SshdSessionFactory {
    volatile Rejected rejected;

    CheckedSessionFactory(Path sshDir) {
      super(new JGitKeyCache(), new DefaultProxyDataFactory());
      setSshDirectory(sshDir.toFile());
      Path home = sshDir.getParent();
      if (home != null) {
        setHomeDirectory(home.toFile());
      }
    }

    @Override
    protected ServerKeyDatabase getServerKeyDatabase(File homeDir, File sshDir) {
      ServerKeyDatabase known = super.getServerKeyDatabase(homeDir, sshDir);
      return new ServerKeyDatabase() {
        @Override
        public List<PublicKey> lookup(
            String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
          return known.lookup(connectAddress, remoteAddress, config);
        }

        @Override
        public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
          // No provider: nobody can be asked, so an unknown or changed key is refused (unless
          // the user's ssh config says otherwise, e.g. StrictHostKeyChecking accept-new).
          boolean ok = known.accept(connectAddress, remoteAddress, serverKey, config, null);
          if (!ok) {
            rejected =
                new Rejected(
                    connectAddress,
                    KeyUtils.getKeyType(serverKey),
                    KeyUtils.getFingerPrint(serverKey),
                    !known.lookup(connectAddress, remoteAddress, config).isEmpty());
          }
          return ok;
        }
      };
    }
  }

  /**
   * A cause whose messages had a credential: the same class name, message (redacted) and stack
   * trace, so that {@code mvn -e} shows where it failed and never what the token is.
   */
  static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private Redacted(String message, Throwable cause) {
      super(message, cause);
    }

    static Throwable of(Throwable error, String token) {
      if (error == null) {
        return null;
      }
      Redacted copy =
          new Redacted(
              error.getClass().getName() + ": " + redact(String.valueOf(error.getMessage()), token),
              error.getCause() == error ? null : of(error.getCause(), token));
      copy.setStackTrace(error.getStackTrace());
      return copy;
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
