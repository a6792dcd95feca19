package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Invokes the function through an alias or a version with a payload from a property or a file, and
 * prints the response and the version that served it. Fails when the function answers with an error
 * status. With {@code -Dfc.env=<env>} it invokes on the platform that environment's gitops file
 * binds; on Knative through the URL the Service reports for the alias, which must be reachable from
 * this machine (ingress, or {@code kubectl port-forward}). Skipped with {@code
 * -Dfc.invoke.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "invoke", threadSafe = true)
public class InvokeMojo extends AbstractFcMojo {

  /**
   * The alias to invoke; ignored when {@code fc.version} is set.
   *
   * <pre>
   * &lt;alias&gt;dev&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias", defaultValue = "dev")
  String alias;

  /**
   * A version number to invoke directly.
   *
   * <pre>
   * &lt;version&gt;3&lt;/version&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.version")
  Integer version;

  /**
   * The request body.
   *
   * <pre>
   * &lt;payload&gt;{"name":"fc"}&lt;/payload&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.payload")
  String payload;

  /**
   * A file holding the request body.
   *
   * <pre>
   * &lt;payloadFile&gt;src/test/resources/event.json&lt;/payloadFile&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.payloadFile")
  File payloadFile;

  /**
   * The body's content type.
   *
   * <pre>
   * &lt;contentType&gt;application/json&lt;/contentType&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.contentType", defaultValue = "application/json")
  String contentType;

  /**
   * A routing key, for an alias with key affinity.
   *
   * <pre>
   * &lt;routingKey&gt;student-42&lt;/routingKey&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.routingKey")
  String routingKey;

  @Override
  String goal() {
    return "invoke";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    byte[] body = body();
    String qualifier = version != null ? Integer.toString(version) : Hints.aliasName(alias);
    try (Platform platform = platform(fc, false)) {
      InvokeResponse response =
          platform.invoke(
              new InvokeRequest(
                  name, qualifier, body, Map.of("content-type", contentType), routingKey));
      getLog()
          .info(
              "HTTP "
                  + response.status()
                  + " from "
                  + name
                  + " v"
                  + response.version()
                  + " (via "
                  + (version != null ? "version " + version : "alias " + alias)
                  + ") in "
                  + response.elapsed().toMillis()
                  + " ms");
      getLog().info(response.bodyText());
      if (!response.isSuccess()) {
        throw new FcException(
            name + " answered HTTP " + response.status(),
            platform
                .logLocation(name, response.version())
                .map(where -> "see the version's log: " + where)
                .orElse(null));
      }
    }
  }

  private byte[] body() throws IOException {
    if (payload != null && payloadFile != null) {
      throw Hints.invalidRequest("payload", payload, "set either fc.payload or fc.payloadFile");
    }
    if (payloadFile != null) {
      if (!payloadFile.isFile()) {
        throw Hints.invalidRequest("payloadFile", payloadFile.toString(), "no such file");
      }
      return Files.readAllBytes(payloadFile.toPath());
    }
    return payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
  }
}
