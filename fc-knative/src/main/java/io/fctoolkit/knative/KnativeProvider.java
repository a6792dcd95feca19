package io.fctoolkit.knative;

import io.fctoolkit.core.DesiredFunction;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.RenderReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Knative's {@link PlatformProvider}, listed in {@code META-INF/services}: connects to the cluster
 * an environment binds and renders its manifests.
 *
 * <p>Settings: {@value #CONTEXT} (the kube context; absent for the kubeconfig's current one),
 * {@value #NAMESPACE} (required), {@value #BOOTSTRAP_SERVERS} (the Kafka cluster of triggers that
 * name none), {@value #PRIMARY_ALIAS} and {@value #READY_TIMEOUT} (an ISO-8601 duration such as
 * {@code PT5M}: how long publishing waits for the new revision to become Ready).
 */
public final class KnativeProvider implements PlatformProvider {

  public static final String TYPE = "knative";
  public static final String CONTEXT = "context";
  public static final String NAMESPACE = "namespace";
  public static final String BOOTSTRAP_SERVERS = "bootstrapServers";
  public static final String PRIMARY_ALIAS = "primaryAlias";
  public static final String READY_TIMEOUT = "readyTimeout";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Platform connect(PlatformConnection connection, Consumer<FcEvent> events) {
    return KnativePlatform.connect(
        connection.source(), connection.setting(CONTEXT), options(connection), events);
  }

  @Override
  public RenderReport render(
      PlatformConnection connection, List<DesiredFunction> functions, Path directory) {
    KnativeOptions options = options(connection);
    List<RenderedManifests.Manifest> manifests = new ArrayList<>();
    manifests.add(KnativeRenderer.namespace(options.namespace()));
    List<KnativeFinding> findings = new ArrayList<>();
    for (DesiredFunction function : functions) {
      RenderedManifests rendered = KnativeRenderer.render(input(options, function));
      manifests.addAll(rendered.manifests());
      findings.addAll(rendered.findings());
    }
    RenderedManifests all = new RenderedManifests(manifests, findings);
    List<Path> written = all.writeTo(directory);
    return new RenderReport(
        manifests.size(), written, findings.stream().map(KnativeFinding::toString).toList());
  }

  /** The renderer's input for one function of an environment. */
  public static RenderInput input(KnativeOptions options, DesiredFunction function) {
    return new RenderInput(
        options.namespace(),
        function.function(),
        function.versions().stream()
            .map(
                v ->
                    new RenderInput.RenderVersion(v.number(), v.image(), v.releaseId(), v.config()))
            .toList(),
        function.aliases().stream()
            .map(a -> new RenderInput.RenderAlias(a.name(), a.target(), a.rollout()))
            .toList(),
        function.triggers(),
        options.primaryAlias(),
        options.kafkaBootstrapServers());
  }

  /** The options a binding's settings give. */
  public static KnativeOptions options(PlatformConnection connection) {
    String namespace = connection.required(NAMESPACE);
    KnativeOptions options;
    try {
      options = KnativeOptions.of(namespace);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "platform." + NAMESPACE,
          e.getMessage() + " (in " + connection.source() + ")",
          "correct platform.namespace in " + connection.source());
    }
    options = options.withKafkaBootstrapServers(connection.setting(BOOTSTRAP_SERVERS));
    if (connection.setting(PRIMARY_ALIAS) != null) {
      options = options.withPrimaryAlias(connection.setting(PRIMARY_ALIAS));
    }
    String ready = connection.setting(READY_TIMEOUT);
    if (ready != null) {
      try {
        options = options.withReadyTimeout(Duration.parse(ready));
      } catch (DateTimeParseException | IllegalArgumentException e) {
        throw new InvalidRequestException(
            READY_TIMEOUT,
            "'" + ready + "' is not a non-negative ISO-8601 duration",
            "give one such as PT5M, or PT0S not to wait");
      }
    }
    return options;
  }
}
