package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import java.io.InputStream;
import java.util.Map;

/** The handlers of {@code /v1/images} and {@code /v1/blobs}: import, pull, list, blob presence. */
final class ImageHandlers {

  private final RuntimeCore core;

  ImageHandlers(RuntimeCore core) {
    this.core = core;
  }

  void list(ApiCall call) throws Exception {
    call.json(200, core.images().list());
  }

  void get(ApiCall call) throws Exception {
    String digest = call.param("digest");
    call.json(
        200,
        core.images()
            .get(digest)
            .orElseThrow(
                () -> new NotFoundException("image", digest, "list images with GET /v1/images")));
  }

  /**
   * A JSON body {@code {"pull": ...}} pulls from a registry; any other body is an image archive,
   * streamed into the store (each read waits for the client at most the I/O timeout, the upload as
   * a whole as long as bytes keep coming).
   */
  void add(ApiCall call) throws Exception {
    String type = call.header("Content-Type");
    if (type != null && type.startsWith("application/json")) {
      JsonNode body = call.readJson();
      String ref = RequestValues.text(body, "pull", true);
      ImageRef image;
      try {
        image = ImageRef.parse(ref);
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            "pull", e.getMessage(), "pass repository@sha256:<digest>");
      }
      call.json(200, core.images().pull(image, body.path("insecure").asBoolean(false)));
      return;
    }
    Map<String, String> query = call.query();
    try (InputStream in = call.body()) {
      call.json(
          200,
          core.importArchive(in, query.get("digest"), query.getOrDefault("repository", "archive")));
    }
  }

  /** HEAD tells a client which blobs it may leave out of an image archive. */
  void hasBlob(ApiCall call) throws Exception {
    call.empty(core.images().hasBlob(call.param("digest")) ? 200 : 404);
  }
}
