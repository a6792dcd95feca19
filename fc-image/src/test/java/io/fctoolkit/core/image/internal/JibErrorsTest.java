package io.fctoolkit.core.image.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.image.ImageBuildException;
import io.fctoolkit.core.image.RegistryUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URL;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

// The real-registry cases run in FunctionImageBuilderRegistryTest; these are the ones jib only
// reaches after a minute of its own retries (TLS against a plain-HTTP registry).
class JibErrorsTest {

  @Test
  void map_tlsFailure_pointsAtTheInsecureSettingAndKeepsTheCause() throws Exception {
    // Given
    IOException jib =
        new IOException(
            "I/O error for image [10.1.2.3:5000/hello]",
            new SSLException("Unsupported or unrecognized SSL message"));

    // When
    FcException mapped = JibErrors.map(jib, "10.1.2.3:5000", "scratch", false);

    // Then
    assertThat(mapped).isInstanceOf(InvalidRequestException.class);
    assertThat(((InvalidRequestException) mapped).field()).isEqualTo("allowInsecureRegistries");
    assertThat(mapped.getMessage()).contains("10.1.2.3:5000");
    assertThat(mapped.hint()).contains("insecure");
  }

  @Test
  void map_insecureRegistryException_isTheSameMistake() throws Exception {
    FcException mapped =
        JibErrors.map(
            new InsecureRegistryException(
                new URL("https://10.1.2.3:5000/v2/"), new SSLException("x")),
            "10.1.2.3:5000",
            "scratch",
            false);

    assertThat(mapped).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void map_connectionRefusedDeepInTheChain_namesTheRegistry() {
    ExecutionException jib =
        new ExecutionException(new IOException("push failed", new ConnectException("refused")));

    FcException mapped = JibErrors.map(jib, "127.0.0.1:5999", "scratch", false);

    assertThat(mapped).isInstanceOf(RegistryUnavailableException.class);
    assertThat(((RegistryUnavailableException) mapped).registry()).isEqualTo("127.0.0.1:5999");
    assertThat(mapped.getCause()).isSameAs(jib);
  }

  @Test
  void map_baseImageRegistryFailure_namesTheBaseRegistryNotTheTarget() {
    IOException jib =
        new IOException(
            "cannot pull base image mirror.example:443/jre", new ConnectException("refused"));

    FcException mapped = JibErrors.map(jib, null, "mirror.example:443/jre@sha256:00", false);

    assertThat(((RegistryUnavailableException) mapped).registry()).isEqualTo("mirror.example:443");
  }

  @Test
  void map_anythingElse_isABuildFailureWithTheMessage() {
    FcException mapped = JibErrors.map(new IOException("disk full"), null, "scratch", false);

    assertThat(mapped).isInstanceOf(ImageBuildException.class).hasMessageContaining("disk full");
  }
}
