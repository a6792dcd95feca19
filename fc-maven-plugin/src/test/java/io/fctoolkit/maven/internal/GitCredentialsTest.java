package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.gitops.GitAuth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitCredentialsTest {

  private static final GitCredentials.Server SERVER =
      new GitCredentials.Server("fc-git", "bot", "from-settings");

  @Test
  void resolve_property_winsOverSettingsAndEnvironment() {
    GitAuth auth =
        GitCredentials.resolve("from-property", null, SERVER, Map.of("FC_GIT_TOKEN", "env"));
    assertThat(auth.token()).isEqualTo("from-property");
    assertThat(auth.effectiveUsername()).isEqualTo(GitAuth.DEFAULT_USERNAME);
    assertThat(auth.source()).isEqualTo("-Dfc.git.token");
  }

  @Test
  void resolve_settingsServer_bringsItsUsername() {
    GitAuth auth = GitCredentials.resolve(null, null, SERVER, Map.of("FC_GIT_TOKEN", "env"));
    assertThat(auth.token()).isEqualTo("from-settings");
    assertThat(auth.effectiveUsername()).isEqualTo("bot");
    assertThat(auth.source()).isEqualTo("settings.xml server 'fc-git'");
  }

  @Test
  void resolve_environment_fcGitTokenBeforeGithubToken() {
    assertThat(
            GitCredentials.resolve(
                    null, "me", null, Map.of("FC_GIT_TOKEN", "fc", "GITHUB_TOKEN", "gh"))
                .token())
        .isEqualTo("fc");
    GitAuth github = GitCredentials.resolve(null, "me", null, Map.of("GITHUB_TOKEN", "gh"));
    assertThat(github.token()).isEqualTo("gh");
    assertThat(github.effectiveUsername()).isEqualTo("me");
    assertThat(github.source()).isEqualTo("GITHUB_TOKEN");
  }

  @Test
  void resolve_nothing_noToken() {
    assertThat(GitCredentials.resolve(" ", null, null, Map.of()).token()).isNull();
  }

  @Test
  void toString_neverShowsTheToken() {
    GitAuth auth = GitCredentials.resolve(null, null, SERVER, Map.of());
    assertThat(auth.toString()).doesNotContain("from-settings").contains("****");
    assertThat(SERVER.toString()).doesNotContain("from-settings");
  }

  @Test
  void serverId_defaultsToFcGit() {
    assertThat(GitCredentials.serverId(null)).isEqualTo("fc-git");
    assertThat(GitCredentials.serverId("github.com")).isEqualTo("github.com");
  }
}
