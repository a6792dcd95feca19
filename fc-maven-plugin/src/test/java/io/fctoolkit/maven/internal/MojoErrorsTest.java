package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.gitops.GitPromotionException;
import io.fctoolkit.core.image.RegistryUnavailableException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class MojoErrorsTest {

  @Test
  void map_configurationMistakes_failTheBuildWithTheHintAndCause() {
    InvalidRequestException bad =
        new InvalidRequestException("baseImage", "'x y' is not an image reference", null);

    Exception mapped = MojoErrors.map("build", bad);

    assertThat(mapped).isInstanceOf(MojoFailureException.class).hasCause(bad);
    assertThat(mapped.getMessage()).contains("<from><image>").contains("-Dfc.from.image=");
    assertThat(
            MojoErrors.map(
                "promote", new NotFoundException("version", "9", "list versions with fc:status")))
        .isInstanceOf(MojoFailureException.class);
  }

  @Test
  void librarySettings_areWordedByThePlugin() {
    GitPromotionException weight =
        new GitPromotionException("weight 120 is out of range", "use 0 to 100", "weight");
    GitPromotionException base =
        new GitPromotionException("HEAD is detached", "name the base branch", "git.baseBranch");

    assertThat(weight.describe()).doesNotContain("-Dfc.").doesNotContain("<weight>");
    assertThat(MojoErrors.map("promote", weight).getMessage())
        .contains("use 0 to 100; or set <weight> in pom.xml or pass -Dfc.weight=10");
    assertThat(MojoErrors.map("promote", base).getMessage())
        .contains("name the base branch; or pass -Dfc.git.baseBranch=main");
    assertThat(Hints.missingRequest("git.baseBranch", "base branch").getMessage())
        .isEqualTo("Missing base branch, perhaps you should pass -Dfc.git.baseBranch=main");
    assertThat(Hints.invalid("git.baseBranch", "x y", "not a branch name"))
        .isEqualTo(
            "Invalid -Dfc.git.baseBranch 'x y': not a branch name; perhaps you should pass"
                + " -Dfc.git.baseBranch=main");
    assertThat(
            MojoErrors.map("alias", ConflictException.staleRevision("alias prod", 3, 4))
                .getMessage())
        .contains("retry against revision 4 (fc:status shows the current state)");
    assertThat(
            MojoErrors.map("promote", new NotFoundException("alias", "grader/prod", "publish it"))
                .getMessage())
        .endsWith("publish it (fc:status lists them)");
  }

  @Test
  void badAliasName_namesTheParameterAndTheRule() {
    assertThat(Hints.aliasName("prod-2")).isEqualTo("prod-2");
    InvalidRequestException bad =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            InvalidRequestException.class, () -> Hints.aliasName("Bad Alias"));

    Exception mapped = MojoErrors.map("deploy", bad);

    assertThat(mapped).isInstanceOf(MojoFailureException.class);
    assertThat(mapped.getMessage())
        .contains("'Bad Alias'")
        .contains("lower case letters")
        .contains("<alias> in pom.xml or pass -Dfc.alias=dev")
        .doesNotContain("unexpectedly");
  }

  @Test
  void map_missingParameter_printsTheSentenceOnce() {
    // Maven appends a cause's message it does not find in the error's own message.
    Exception mapped =
        MojoErrors.map("build", Hints.missingRequest("handler", "handler (the function class)"));

    assertThat(mapped.getMessage())
        .isEqualTo(
            "Missing handler (the function class), perhaps you should add <handler> to pom.xml or"
                + " pass -Dfc.handler=com.example.Grader")
        .isEqualTo(mapped.getCause().getMessage());
  }

  @Test
  void map_environmentProblems_areExecutionErrorsNamingTheAddress() {
    RegistryUnavailableException down =
        new RegistryUnavailableException("127.0.0.1:5999", "cannot connect", "start it", null);

    Exception mapped = MojoErrors.map("build", down);

    assertThat(mapped).isInstanceOf(MojoExecutionException.class).hasCause(down);
    assertThat(mapped.getMessage()).contains("127.0.0.1:5999").contains("start it");
  }

  @Test
  void map_staleRevision_namesBothRevisions() {
    Exception mapped =
        MojoErrors.map("promote", ConflictException.staleRevision("alias prod of grader", 4, 5));

    assertThat(mapped).isInstanceOf(MojoExecutionException.class);
    assertThat(mapped.getMessage()).contains("revision 4").contains("revision 5");
  }

  @Test
  void map_interrupted_restoresTheFlag() {
    Exception mapped = MojoErrors.map("deploy", new InterruptedException());

    assertThat(Thread.interrupted()).isTrue();
    assertThat(mapped).isInstanceOf(MojoExecutionException.class).hasMessageContaining("fc:deploy");
  }

  @Test
  void map_anythingElse_isAnErrorKeepingTheCause() {
    IllegalStateException bug = new IllegalStateException("boom");

    assertThat(MojoErrors.map("build", bug))
        .isInstanceOf(MojoExecutionException.class)
        .hasCause(bug)
        .hasMessageContaining("boom");
  }
}
