package io.fctoolkit.core.gitops;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * An SSH Git server for one bare repository: Apache MINA sshd (the same library JGit's client uses)
 * accepting one user with one public key, running {@code git-upload-pack} and {@code
 * git-receive-pack} with JGit's {@link UploadPack} and {@link ReceivePack}. Ephemeral port.
 */
final class SshGitServer implements AutoCloseable {

  private final SshServer server;

  SshGitServer(Path bare, String user, PublicKey userKey, KeyPair hostKey) throws IOException {
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(
        (name, key, session) -> user.equals(name) && KeyUtils.compareKeys(userKey, key));
    server.setCommandFactory((channel, command) -> new GitCommand(bare, command));
    server.start();
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  /** One {@code git-upload-pack '<path>'} or {@code git-receive-pack '<path>'}. */
  private static final class GitCommand implements Command {
    private final Path bare;
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    GitCommand(Path bare, String command) {
      this.bare = bare;
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread thread =
          new Thread(
              () -> {
                int status = 0;
                try (Repository repo =
                    new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
                  if (command.startsWith("git-upload-pack")) {
                    new UploadPack(repo).upload(in, out, err);
                  } else if (command.startsWith("git-receive-pack")) {
                    new ReceivePack(repo).receive(in, out, err);
                  } else {
                    err.write(("unknown command " + command + "\n").getBytes());
                    status = 127;
                  }
                  out.flush();
                } catch (IOException e) {
                  status = 1;
                }
                exit.onExit(status);
              },
              "ssh-git");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
