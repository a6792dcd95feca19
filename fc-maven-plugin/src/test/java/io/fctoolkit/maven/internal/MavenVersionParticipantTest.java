package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import org.apache.maven.MavenExecutionException;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.rtinfo.RuntimeInformation;
import org.junit.jupiter.api.Test;

class MavenVersionParticipantTest {

  @Test
  void anOldMaven_failsTheBuildBeforeItStarts_namingTheWrapper() {
    var participant = participant("3.8.7");

    assertThatThrownBy(() -> participant.afterProjectsRead(session()))
        .isInstanceOf(MavenExecutionException.class)
        .hasMessageContaining("this is Maven 3.8.7")
        .hasMessageContaining("./mvnw");
  }

  @Test
  void theRequiredMaven_passes() {
    var participant = participant(MavenVersionCheck.required() + ".0");

    assertThatCode(() -> participant.afterProjectsRead(session())).doesNotThrowAnyException();
  }

  private static MavenVersionParticipant participant(String version) {
    var participant = new MavenVersionParticipant();
    participant.runtimeInformation =
        new RuntimeInformation() {
          @Override
          public String getMavenVersion() {
            return version;
          }

          @Override
          public boolean isMavenVersion(String range) {
            throw new UnsupportedOperationException();
          }
        };
    return participant;
  }

  @SuppressWarnings("deprecation") // the request-only constructor is enough for this check
  private static MavenSession session() {
    var request = new DefaultMavenExecutionRequest();
    request.setPom(new File("pom.xml"));
    return new MavenSession(null, request, new DefaultMavenExecutionResult(), java.util.List.of());
  }
}
