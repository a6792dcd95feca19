package io.fctoolkit.knative.internal;

import io.fabric8.knative.client.KnativeClient;
import io.fabric8.knative.serving.v1.Revision;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.knative.KnativeForbiddenException;
import io.fctoolkit.knative.KnativeNotInstalledException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The Kubernetes calls of the Knative platform, each mapped to fc-toolkit's exceptions with the
 * operation named (verb, resource, name, namespace), so a failure says what was being done.
 */
public final class Kube {

  private final KubernetesClient client;
  private final String namespace;

  public Kube(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public KubernetesClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** The API server address, never with credentials. */
  public String address() {
    return String.valueOf(client.getConfiguration().getMasterUrl());
  }

  public Optional<GenericKubernetesResource> get(ResourceDefinitionContext kind, String name) {
    String op = op("get", kind, name);
    try {
      return Optional.ofNullable(
          client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw map(op, kind, e);
    }
  }

  public List<GenericKubernetesResource> list(
      ResourceDefinitionContext kind, Map<String, String> labels) {
    String op = op("list", kind, null);
    try {
      return client
          .genericKubernetesResources(kind)
          .inNamespace(namespace)
          .withLabels(labels)
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new KnativeNotInstalledException(
            kind.getGroup() + "/" + kind.getVersion(), kind.getKind(), e);
      }
      throw map(op, kind, e);
    }
  }

  /**
   * Server-side apply with field manager {@code fc-toolkit}. With {@code resourceVersion} set the
   * apply only succeeds against that exact version (optimistic concurrency); a mismatch surfaces as
   * a {@link ConflictException}.
   */
  public GenericKubernetesResource apply(Map<String, Object> object, String resourceVersion) {
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    ResourceDefinitionContext kind = KnativeKinds.of(resource.getApiVersion(), resource.getKind());
    String name = resource.getMetadata().getName();
    resource.getMetadata().setNamespace(namespace);
    resource.getMetadata().setResourceVersion(resourceVersion);
    String op = op("apply", kind, name);
    try {
      return write(kind, resource);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && resourceVersion != null) {
        throw stale(op, kind, name, resourceVersion, e);
      }
      throw map(op, kind, e);
    }
  }

  /**
   * The one way fc-toolkit writes an object: a server-side apply, which creates or updates, keeps
   * fields other managers own (Knative's webhook refuses a Service whose {@code
   * serving.knative.dev/creator} annotation disappears), and is refused with 409 when {@code
   * metadata.resourceVersion} is set and stale. (Tests on fabric8's CRUD mock server, which cannot
   * apply, give it an apply-aware dispatcher: {@code ApplyingDispatcher} in the test sources.)
   */
  private GenericKubernetesResource write(
      ResourceDefinitionContext kind, GenericKubernetesResource resource) {
    return client
        .genericKubernetesResources(kind)
        .inNamespace(namespace)
        .resource(resource)
        .fieldManager(Names.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  /**
   * The conflict of a write guarded by a resourceVersion: names the version seen and the current.
   */
  private ConflictException stale(
      String op,
      ResourceDefinitionContext kind,
      String name,
      String expected,
      KubernetesClientException e) {
    String actual;
    try {
      actual = get(kind, name).map(r -> r.getMetadata().getResourceVersion()).orElse("(deleted)");
    } catch (FcException unreadable) {
      actual = "(unknown: " + unreadable.getMessage() + ")";
    }
    return new ConflictException(
        "cannot "
            + op
            + ": it was changed by someone else: expected resourceVersion "
            + expected
            + " but it is at resourceVersion "
            + actual
            + " ("
            + statusMessage(e)
            + ")",
        "read the current state and retry",
        asLong(expected),
        asLong(actual));
  }

  private static Long asLong(String resourceVersion) {
    try {
      return resourceVersion == null ? null : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A revision through fabric8's typed Knative client, or empty. */
  public Optional<Revision> revision(String name) {
    String op = op("get", KnativeKinds.REVISION, name);
    try {
      return Optional.ofNullable(knative().revisions().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw map(op, KnativeKinds.REVISION, e);
    }
  }

  /** A Service through fabric8's typed Knative client (for its routes), or empty. */
  public Optional<io.fabric8.knative.serving.v1.Service> service(String name) {
    String op = op("get", KnativeKinds.SERVICE, name);
    try {
      return Optional.ofNullable(knative().services().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw map(op, KnativeKinds.SERVICE, e);
    }
  }

  private KnativeClient knative() {
    return client.adapt(KnativeClient.class);
  }

  /** Deletes an object; false when it did not exist. */
  public boolean delete(ResourceDefinitionContext kind, String name) {
    String op = op("delete", kind, name);
    try {
      return !client
          .genericKubernetesResources(kind)
          .inNamespace(namespace)
          .withName(name)
          .delete()
          .isEmpty();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw map(op, kind, e);
    }
  }

  private String op(String verb, ResourceDefinitionContext kind, String name) {
    return verb
        + " "
        + KnativeKinds.resource(kind)
        + (name == null ? "" : "/" + name)
        + " in namespace "
        + namespace;
  }

  /** Maps a client failure to the exception of its failure mode, naming the operation. */
  public FcException map(String op, ResourceDefinitionContext kind, KubernetesClientException e) {
    int code = e.getCode();
    String message = statusMessage(e);
    if (code == 403 || code == 401) {
      return new KnativeForbiddenException(op, message, e);
    }
    if (code == 409) {
      return new ConflictException(
          "cannot " + op + ": it was changed by someone else (" + message + ")",
          "read the current state and retry");
    }
    if (code == 422 || code == 400) {
      return new InvalidRequestException(
          field(e),
          "the API server refused to " + op + ": " + message,
          "check the Knative version installed against docs/knative.md");
    }
    if (code == 404) {
      return new KnativeNotInstalledException(
          kind.getGroup() + "/" + kind.getVersion(), kind.getKind(), e);
    }
    if (isTimeout(e)) {
      return new PlatformUnavailableException(
          address(),
          "the Kubernetes API did not answer in time to " + op,
          "check the cluster and your network; the client's request timeout is "
              + client.getConfiguration().getRequestTimeout()
              + " ms",
          e);
    }
    if (code >= 500) {
      return new PlatformUnavailableException(
          address(),
          "the Kubernetes API failed with HTTP " + code + " to " + op + ": " + message,
          "retry; if it persists check the API server and the Knative webhooks"
              + " (kubectl get pods -n knative-serving -n knative-eventing)",
          e);
    }
    return new PlatformUnavailableException(
        address(),
        "cannot " + op + ": " + message,
        "check that the kube context points at a reachable cluster",
        e);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof InterruptedIOException
          || t instanceof java.net.http.HttpTimeoutException
          || (t.getClass().getSimpleName().contains("Timeout"))) {
        return true;
      }
      if (t instanceof ConnectException) {
        return false;
      }
    }
    return false;
  }

  private static String statusMessage(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String field(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (StatusCause cause : status.getDetails().getCauses()) {
        if (cause.getField() != null) {
          return cause.getField();
        }
      }
    }
    return "manifest";
  }
}
