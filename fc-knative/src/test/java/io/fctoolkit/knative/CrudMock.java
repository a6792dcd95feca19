package io.fctoolkit.knative;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * fabric8's mock API server in CRUD mode, as {@code @EnableKubernetesMockClient(crud = true)} makes
 * it, plus server-side apply ({@link ApplyingDispatcher}), so that KnativePlatform runs its one
 * production write path against it. Register it with {@code @RegisterExtension}: each test gets a
 * fresh server, on 127.0.0.1 and a free port.
 */
public final class CrudMock implements BeforeEachCallback, AfterEachCallback {

  private KubernetesMockServer server;
  private KubernetesClient client;

  /** A started server with apply support; the caller destroys it. */
  public static KubernetesMockServer server() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new ApplyingDispatcher(new KubernetesMixedDispatcher(responses)),
            false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
    return server;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server = server();
    client = server.createClient();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      server.destroy();
    }
  }

  public KubernetesMockServer mockServer() {
    return server;
  }

  public KubernetesClient client() {
    return client;
  }
}
