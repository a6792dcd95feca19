package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fctoolkit.core.FcEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotions pushed to real remotes over the network: Git's smart HTTP with a token (JGit's
 * receive-pack behind HTTP Basic auth) and SSH (an Apache MINA sshd server running JGit's
 * receive-pack) with a throwaway key and known_hosts. A wrong token, an unknown host key and a
 * missing key each fail with the fix, and the token shows up in no message, cause or event.
 */
class GitPushAuthTest {

  static final String BRANCH = "refs/heads/fc/promote/prod/grader/prod";
  static final String TOKEN = "ghp_s3cretT0kenValue1234567890";

  @TempDir Path dir;
  Path remote;
  Git alice;
  List<FcEvent> events = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    remote = GitRepos.remoteWithFixture(dir);
    alice = GitRepos.clone(remote, dir.resolve("alice"), "Alice");
  }

  @AfterEach
  void tearDown() {
    alice.close();
  }

  private void pointOriginAt(String url) throws Exception {
    StoredConfig config = alice.getRepository().getConfig();
    config.setString("remote", "origin", "url", url);
    config.save();
  }

  private PromotionResult promote(GitAuth auth) {
    return new GitPromoter(
            alice.getRepository().getWorkTree().toPath().resolve("gitops"),
            GitPromoter.Options.defaults().withAuth(auth),
            events::add)
        .promote("prod", null, "prod", "2026-11-22.1", BigDecimal.TEN, null);
  }

  private GitPromotionException promoteFails(GitAuth auth) {
    return catchThrowableOfType(GitPromotionException.class, () -> promote(auth));
  }

  private boolean remoteHasBranch() throws Exception {
    try (Repository bare = new FileRepositoryBuilder().setGitDir(remote.toFile()).build()) {
      return bare.exactRef(BRANCH) != null;
    }
  }

  /** Everything a user could see of a failure: message, hint, causes with stack traces, events. */
  private String everythingShown(GitPromotionException error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    return error.describe() + "\n" + trace + "\n" + events;
  }

  @Test
  void https_token_pushesTheBranchWithTheDefaultUserName() throws Exception {
    try (SmartHttpGitServer server =
        new SmartHttpGitServer(remote, GitAuth.DEFAULT_USERNAME, TOKEN)) {
      pointOriginAt(server.url());

      // When
      PromotionResult result = promote(GitAuth.token(null, TOKEN, "FC_GIT_TOKEN"));

      // Then
      assertThat(result.pushed()).isTrue();
      assertThat(remoteHasBranch()).isTrue();
      assertThat(events.toString()).doesNotContain(TOKEN);
    }
  }

  @Test
  void https_wrongToken_failsNamingTheSourceAndTheFix_neverShowingTheToken() throws Exception {
    try (SmartHttpGitServer server =
        new SmartHttpGitServer(remote, GitAuth.DEFAULT_USERNAME, "the-right-one")) {
      pointOriginAt(server.url());

      // When
      GitPromotionException error = promoteFails(GitAuth.token(null, TOKEN, "FC_GIT_TOKEN"));

      // Then
      assertThat(server.authorizations).as("the client did send the token").isNotEmpty();
      assertThat(error.getMessage())
          .contains("remote 'origin' (" + server.url() + ")")
          .contains("refused the token from FC_GIT_TOKEN (user x-access-token)");
      assertThat(error.hint()).contains("not expired").contains("write");
      assertThat(error.setting()).isEqualTo("git.token");
      assertThat(everythingShown(error)).doesNotContain(TOKEN);
      assertThat(remoteHasBranch()).isFalse();
    }
  }

  @Test
  void https_noToken_saysTheRemoteAsksForOne() throws Exception {
    try (SmartHttpGitServer server = new SmartHttpGitServer(remote, "x", "y")) {
      pointOriginAt(server.url());

      // When
      GitPromotionException error = promoteFails(GitAuth.NONE);

      // Then
      assertThat(error.getMessage()).contains("the remote asks for credentials");
      assertThat(error.setting()).isEqualTo("git.token");
    }
  }

  @Test
  void https_tokenInTheRemoteUrl_isNeverShown() throws Exception {
    try (SmartHttpGitServer server = new SmartHttpGitServer(remote, "x", "y")) {
      pointOriginAt(server.url().replace("http://", "http://bot:" + TOKEN + "@"));

      // When
      GitPromotionException error = promoteFails(GitAuth.NONE);

      // Then
      assertThat(error.getMessage()).contains("(" + server.url() + ")");
      assertThat(everythingShown(error)).doesNotContain(TOKEN);
    }
  }

  /** A throwaway SSH folder: a key pair as id_rsa, and known_hosts with the host key if given. */
  private Path sshDir(KeyPair user, String knownHostsLine) throws Exception {
    Path ssh = dir.resolve("home/.ssh");
    Files.createDirectories(ssh);
    if (user != null) {
      try (var out = Files.newOutputStream(ssh.resolve("id_rsa"))) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(user, "test", null, out);
      }
    }
    if (knownHostsLine != null) {
      Files.writeString(ssh.resolve("known_hosts"), knownHostsLine + "\n", StandardCharsets.UTF_8);
    }
    return ssh;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String knownHost(int port, KeyPair host) {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic());
  }

  @Test
  void ssh_keyAndKnownHost_pushesTheBranch() throws Exception {
    KeyPair user = rsa();
    KeyPair host = rsa();
    try (SshGitServer server = new SshGitServer(remote, "git", user.getPublic(), host)) {
      int port = server.port();
      pointOriginAt("ssh://git@127.0.0.1:" + port + "/repo.git");
      Path ssh = sshDir(user, knownHost(port, host));

      // When
      PromotionResult result = promote(GitAuth.NONE.withSshDir(ssh));

      // Then
      assertThat(result.pushed()).isTrue();
      assertThat(remoteHasBranch()).isTrue();
    }
  }

  @Test
  void ssh_unknownHost_isRefusedNamingTheHostAndHowToAddIt() throws Exception {
    KeyPair user = rsa();
    KeyPair host = rsa();
    try (SshGitServer server = new SshGitServer(remote, "git", user.getPublic(), host)) {
      int port = server.port();
      pointOriginAt("ssh://git@127.0.0.1:" + port + "/repo.git");
      Path ssh = sshDir(user, null);

      // When
      GitPromotionException error = promoteFails(GitAuth.NONE.withSshDir(ssh));

      // Then
      assertThat(error.getMessage())
          .contains("the SSH host key of [127.0.0.1]:" + port)
          .contains("is not in " + ssh.resolve("known_hosts"));
      assertThat(error.hint())
          .contains("ssh-keyscan -p " + port + " 127.0.0.1 >> " + ssh.resolve("known_hosts"));
      assertThat(Files.exists(ssh.resolve("known_hosts")))
          .as("an unknown host is never added by itself")
          .isFalse();
      assertThat(remoteHasBranch()).isFalse();
    }
  }

  @Test
  void ssh_changedHostKey_isRefusedAsNotMatching() throws Exception {
    KeyPair user = rsa();
    KeyPair host = rsa();
    try (SshGitServer server = new SshGitServer(remote, "git", user.getPublic(), host)) {
      int port = server.port();
      pointOriginAt("ssh://git@127.0.0.1:" + port + "/repo.git");
      Path ssh = sshDir(user, knownHost(port, rsa()));

      // When
      GitPromotionException error = promoteFails(GitAuth.NONE.withSshDir(ssh));

      // Then
      assertThat(error.getMessage()).contains("does NOT match");
      assertThat(error.hint()).contains("ssh-keygen -R [127.0.0.1]:" + port);
    }
  }

  @Test
  void ssh_noKey_saysWhichKeysToAdd() throws Exception {
    KeyPair user = rsa();
    KeyPair host = rsa();
    try (SshGitServer server = new SshGitServer(remote, "git", user.getPublic(), host)) {
      int port = server.port();
      pointOriginAt("ssh://git@127.0.0.1:" + port + "/repo.git");
      Path ssh = sshDir(null, knownHost(port, host));

      // When
      GitPromotionException error = promoteFails(GitAuth.NONE.withSshDir(ssh));

      // Then
      assertThat(error.getMessage()).contains("no SSH key was accepted for user 'git'");
      assertThat(error.hint()).contains(ssh.toString()).contains("ssh-agent");
    }
  }

  @Test
  void ssh_keyOnlyInSshAgent_pushesTheBranch() throws Exception {
    // OpenSSH's agent is the real thing to talk to; without openssh-client there is none.
    assumeTrue(
        onPath("ssh-agent") && onPath("ssh-add"), "needs ssh-agent (Debian: openssh-client)");
    KeyPair user = rsa();
    KeyPair host = rsa();
    Path agentDir = Files.createTempDirectory("fc-agent");
    Path socket = agentDir.resolve("agent.sock");
    Path key = agentDir.resolve("key");
    try (var out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(user, "test", null, out);
    }
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Process agent =
        new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(50);
      }
      ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
      add.environment().put("SSH_AUTH_SOCK", socket.toString());
      Process adding = add.start();
      String addOutput = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(adding.waitFor()).as(addOutput).isZero();
      try (SshGitServer server = new SshGitServer(remote, "git", user.getPublic(), host)) {
        int port = server.port();
        pointOriginAt("ssh://git@127.0.0.1:" + port + "/repo.git");
        // No key file: only the agent has it, named by the SSH folder's config.
        Path ssh = sshDir(null, knownHost(port, host));
        Files.writeString(ssh.resolve("config"), "Host *\n  IdentityAgent " + socket + "\n");

        // When
        PromotionResult result = promote(GitAuth.NONE.withSshDir(ssh));

        // Then
        assertThat(result.pushed()).isTrue();
        assertThat(remoteHasBranch()).isTrue();
      }
    } finally {
      agent.destroy();
      agent.waitFor();
      Files.deleteIfExists(key);
      Files.deleteIfExists(socket);
      Files.deleteIfExists(agentDir);
    }
  }
}
