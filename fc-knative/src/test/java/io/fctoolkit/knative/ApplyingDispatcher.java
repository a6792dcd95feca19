package io.fctoolkit.knative;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side apply for fabric8's CRUD mock server, which has none (it answers an apply of a new
 * object with 404 and of an existing one with 415). fc-toolkit's one write path, a server-side
 * apply, then runs unchanged against the mock: an apply request ({@code PATCH} with {@code
 * application/apply-patch+yaml}) becomes, inside the server, what an API server's apply does for
 * fc-toolkit's objects: create the object, or replace its spec keeping the labels and annotations
 * others set, refused with 409 when the request's {@code metadata.resourceVersion} is stale. Every
 * other request goes to the CRUD dispatcher as it is. Field ownership is not modelled: fc-toolkit
 * applies with {@code force}, so it takes every field it writes anyway.
 */
public final class ApplyingDispatcher extends Dispatcher {

  private static final String APPLY = "application/apply-patch+yaml";

  private final Dispatcher crud;

  public ApplyingDispatcher(Dispatcher crud) {
    this.crud = crud;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (request.method() != HttpMethod.PATCH || type == null || !type.startsWith(APPLY)) {
      return crud.dispatch(request);
    }
    String path = request.getPath();
    int query = path.indexOf('?');
    String objectPath = query < 0 ? path : path.substring(0, query);
    // fabric8 sends the applied object as JSON, which is YAML too.
    GenericKubernetesResource desired =
        Serialization.unmarshal(request.getUtf8Body(), GenericKubernetesResource.class);
    String expected = desired.getMetadata().getResourceVersion();
    MockResponse found = crud.dispatch(call(HttpMethod.GET, objectPath, null));
    if (found.code() == 404) {
      if (expected != null) {
        return status(409, "Conflict", "the object has been deleted meanwhile");
      }
      String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
      return crud.dispatch(call(HttpMethod.POST, collection, desired));
    }
    GenericKubernetesResource current =
        Serialization.unmarshal(
            new String(found.getBody().getBytes(), StandardCharsets.UTF_8),
            GenericKubernetesResource.class);
    ObjectMeta meta = current.getMetadata();
    if (expected != null && !expected.equals(meta.getResourceVersion())) {
      return status(
          409,
          "Conflict",
          "Operation cannot be fulfilled: the object has been modified; please apply your changes"
              + " to the latest version and try again");
    }
    meta.setLabels(merged(meta.getLabels(), desired.getMetadata().getLabels()));
    meta.setAnnotations(merged(meta.getAnnotations(), desired.getMetadata().getAnnotations()));
    current.getAdditionalProperties().put("spec", desired.getAdditionalProperties().get("spec"));
    return crud.dispatch(call(HttpMethod.PUT, objectPath, current));
  }

  private static RecordedRequest call(
      HttpMethod method, String path, GenericKubernetesResource body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.write(Serialization.asJson(body).getBytes(StandardCharsets.UTF_8));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }

  private static MockResponse status(int code, String reason, String message) {
    String json =
        "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"code\":"
            + code
            + ",\"reason\":\""
            + reason
            + "\",\"message\":\""
            + message
            + "\"}";
    return new MockResponse().setResponseCode(code).setBody(json);
  }

  private static Map<String, String> merged(Map<String, String> theirs, Map<String, String> ours) {
    Map<String, String> out = new TreeMap<>();
    if (theirs != null) {
      out.putAll(theirs);
    }
    if (ours != null) {
      out.putAll(ours);
    }
    return out;
  }
}
