package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.CloudEventSettings;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.InvokeRequests;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Invokes the function through an alias or a version, like curl: method, path, query, headers, a
 * body from a property or a file, optionally as a CloudEvent (binary or structured mode); prints
 * the answer's status, headers and body and the version that served it. The local runtime's token
 * is read from its state folder. Fails when the function answers with an error status. With {@code
 * -Dfc.env=<env>} it invokes on the platform that environment's gitops file binds; on Knative
 * through the URL the Service reports for the alias, which must be reachable from this machine
 * (ingress, or {@code kubectl port-forward}). Skipped with {@code -Dfc.invoke.skip=true}.
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
   * The body's content type; {@code application/json} when there is a body and none is set.
   *
   * <pre>
   * &lt;contentType&gt;text/plain&lt;/contentType&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.contentType")
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

  /**
   * The HTTP method; {@code POST} when there is a body or a CloudEvent, else {@code GET} (as curl).
   *
   * <pre>
   * &lt;method&gt;PUT&lt;/method&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.method")
  String method;

  /**
   * The path below the function's address, e.g. {@code /items/3}; {@code /} by default. Written
   * plain: the plugin percent-encodes it.
   *
   * <pre>
   * &lt;path&gt;/items/3&lt;/path&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.path")
  String path;

  /**
   * The query string, {@code name=value&...}, written plain (the plugin percent-encodes names and
   * values: {@code name=John Smith}).
   *
   * <pre>
   * &lt;query&gt;name=John&amp;lang=en&lt;/query&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.query")
  String query;

  /**
   * Request headers, {@code Name: value} entries separated by commas ({@code \,} for a comma in a
   * value); they replace what the plugin would send under the same name.
   *
   * <pre>
   * &lt;headers&gt;x-trace: 42, accept: text/plain&lt;/headers&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.headers")
  String headers;

  /**
   * Sends the body as a CloudEvent 1.0: {@code type} and {@code source} are required, {@code
   * subject} optional, {@code id} a random UUID unless set, {@code mode} {@code binary} (default)
   * or {@code structured}. Also {@code -Dfc.cloudEvent.type}, {@code -Dfc.cloudEvent.source},
   * {@code -Dfc.cloudEvent.subject}, {@code -Dfc.cloudEvent.id}, {@code -Dfc.cloudEvent.mode}.
   *
   * <pre>
   * &lt;cloudEvent&gt;
   *   &lt;type&gt;com.example.submission&lt;/type&gt;
   *   &lt;source&gt;//example.com/app&lt;/source&gt;
   *   &lt;mode&gt;structured&lt;/mode&gt;
   * &lt;/cloudEvent&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter CloudEventConfig cloudEvent;

  @Override
  String goal() {
    return "invoke";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    String qualifier = version != null ? Integer.toString(version) : Hints.aliasName(alias);
    InvokeRequest request =
        InvokeRequests.from(
            name,
            qualifier,
            new InvokeRequests.Settings(
                method,
                path,
                query,
                headers,
                body(),
                contentType,
                routingKey,
                cloudEventSettings()),
            () -> UUID.randomUUID().toString());
    try (Platform platform = platform(fc, false)) {
      InvokeResponse response = platform.invoke(request);
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
                  + " ms: "
                  + request.method()
                  + " "
                  + request.path());
      new TreeMap<>(response.headers())
          .forEach((header, value) -> getLog().info(header + ": " + value));
      getLog().info("");
      getLog().info(response.bodyText());
      if (!response.isSuccess()) {
        throw new FcException(
            name + " answered HTTP " + response.status(),
            platform
                .logLocation(name, response.version())
                .map(where -> "see the version's log: " + where + " (or mvn fc:logs)")
                .orElse(null));
      }
    }
  }

  private CloudEventSettings cloudEventSettings() {
    CloudEventConfig c = cloudEvent == null ? new CloudEventConfig() : cloudEvent;
    return new CloudEventSettings(
        nested(c.getType(), "fc.cloudEvent.type"),
        nested(c.getSource(), "fc.cloudEvent.source"),
        nested(c.getSubject(), "fc.cloudEvent.subject"),
        nested(c.getId(), "fc.cloudEvent.id"),
        nested(c.getMode(), "fc.cloudEvent.mode"));
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
