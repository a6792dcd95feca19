package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.knative.serving.v1.ServiceStatus;
import io.fabric8.knative.serving.v1.TrafficTarget;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.knative.KnativeOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses Knative's routes give a function's aliases, and invocations through them: an alias
 * is a traffic tag, and the primary alias also owns the Service's default route.
 */
public final class Routes {

  private final Kube kube;
  private final KnativeOptions options;
  private final ServiceWrites services;

  public Routes(Kube kube, KnativeOptions options, ServiceWrites services) {
    this.kube = requireNonNull(kube, "kube");
    this.options = requireNonNull(options, "options");
    this.services = requireNonNull(services, "services");
  }

  /**
   * The address of an alias's traffic tag: the URL the Service reports for the tag once Knative's
   * controller has routed it, else the cluster-local address Knative's default tag template gives
   * ({@code http://<alias>-<function>.<namespace>.svc.cluster.local}).
   *
   * @throws NotFoundException when the function or the alias does not exist
   */
  public URI tagAddress(String function, String alias) {
    ServiceState state = existing(function, alias);
    String reported = reportedTagUrl(state.function(), alias);
    return URI.create(
        reported != null ? reported : Names.tagAddress(alias, function, options.namespace()));
  }

  /** Invokes through the URL Knative reports for the alias; a version has no address of its own. */
  public InvokeResponse invoke(InvokeRequest request) {
    if (request.qualifier().matches("[0-9]+")) {
      throw new InvalidRequestException(
          "qualifier",
          "Knative gives a version no address of its own; invoke through an alias",
          "point an alias at version " + request.qualifier() + " and invoke the alias");
    }
    String base = invokeUrl(request.function(), request.qualifier());
    String url =
        request.path().equals("/")
            ? base
            : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + request.path();
    HttpRequest.Builder http =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofMinutes(5))
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach(http::header);
    if (request.routingKey() != null) {
      http.header(InvokeRequest.ROUTING_KEY_HEADER, request.routingKey());
    }
    long start = System.nanoTime();
    try {
      HttpResponse<byte[]> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .build()
              .send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, String> headers = new TreeMap<>();
      response
          .headers()
          .map()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      int version = 0;
      String served = headers.get(InvokeResponse.VERSION_HEADER);
      if (served != null && served.matches("[0-9]+")) {
        version = Integer.parseInt(served);
      }
      return new InvokeResponse(
          response.statusCode(),
          headers,
          response.body(),
          version,
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          url,
          "cannot invoke " + request.function() + "/" + request.qualifier(),
          "the alias URL must be reachable from here (ingress, or kubectl port-forward)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException(url, "interrupted while invoking", null, e);
    }
  }

  /** The URL Knative reports for an alias's tag (or the default route for the primary alias). */
  private String invokeUrl(String function, String alias) {
    ServiceState state = existing(function, alias);
    String primary = Traffic.primary(state.aliases(), options.primaryAlias());
    ServiceStatus status = kube.service(function).map(s -> s.getStatus()).orElse(null);
    if (alias.equals(primary) && status != null && status.getUrl() != null) {
      return status.getUrl(); // the default route carries the primary alias's split
    }
    String tag = reportedTagUrl(function, alias);
    if (tag != null) {
      return tag;
    }
    throw new FcException(
        "alias "
            + function
            + "/"
            + alias
            + " has no URL yet: the Service has not reported its routes",
        "wait until the Service is Ready and check the Knative Serving controller");
  }

  private ServiceState existing(String function, String alias) {
    ServiceState state = services.read(function);
    if (!state.exists()) {
      throw new NotFoundException("function", function, "publish it first");
    }
    if (!ServiceWrites.hasAlias(state, alias)) {
      throw new NotFoundException(
          "alias", function + "/" + alias, "the function's status lists its aliases");
    }
    return state;
  }

  private String reportedTagUrl(String function, String alias) {
    ServiceStatus status = kube.service(function).map(s -> s.getStatus()).orElse(null);
    if (status != null && status.getTraffic() != null) {
      for (TrafficTarget t : status.getTraffic()) {
        if (alias.equals(t.getTag()) && t.getUrl() != null) {
          return t.getUrl();
        }
      }
    }
    return null;
  }
}
