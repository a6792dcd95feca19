package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.ImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls one image by digest over the registry v2 HTTP API: the manifest (resolving an index to
 * linux/amd64), the config and the layers, each verified against its digest. Anonymous bearer
 * tokens are fetched when a registry asks for them; plain HTTP only when {@code insecure}.
 */
final class RegistryPuller {

  private static final String ACCEPT =
      String.join(
          ",",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          ImageStore.DOCKER_MANIFEST,
          "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ImageRef image;
  private final String base;
  private final String repository;
  private final HttpClient http;
  private String bearer;

  RegistryPuller(ImageRef image, boolean insecure) {
    this.image = image;
    String repo = image.repository();
    int slash = repo.indexOf('/');
    String first = slash < 0 ? "" : repo.substring(0, slash);
    String host;
    String path;
    if (slash > 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
      host = first;
      path = repo.substring(slash + 1);
    } else {
      host = "registry-1.docker.io";
      path = slash < 0 ? "library/" + repo : repo;
    }
    this.base = (insecure ? "http://" : "https://") + host + "/v2/";
    this.repository = path;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  ImageRecord pull(ImageStore store) {
    try {
      String digest = image.digest();
      byte[] manifest = fetchVerified("manifests/" + digest, digest, true);
      JsonNode node = RuntimeJson.MAPPER.readTree(manifest);
      String resolved = digest;
      if (node.has("manifests")) {
        resolved = pickPlatform(node);
        manifest = fetchVerified("manifests/" + resolved, resolved, true);
        node = RuntimeJson.MAPPER.readTree(manifest);
      }
      store.putBlob(manifest);
      String config = node.path("config").path("digest").asText();
      fetchBlob(store, config);
      for (JsonNode layer : node.path("layers")) {
        fetchBlob(store, layer.path("digest").asText());
      }
      ImageRecord record = store.fromManifest(resolved, manifest, null, image.repository(), true);
      return new ImageRecord(
          digest, record.repository(), record.configDigest(), record.layers(), true);
    } catch (IOException e) {
      throw new ImageImportException(
          502,
          "could not pull " + image + " from " + base + ": " + e.getMessage(),
          "check that the registry is running and reachable (use insecure=true for a plain-HTTP"
              + " local registry)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageImportException(502, "interrupted while pulling " + image, null, e);
    }
  }

  private static String pickPlatform(JsonNode index) {
    for (JsonNode m : index.path("manifests")) {
      JsonNode p = m.path("platform");
      if ("linux".equals(p.path("os").asText())
          && "amd64".equals(p.path("architecture").asText())) {
        return m.path("digest").asText();
      }
    }
    return index.path("manifests").get(0).path("digest").asText();
  }

  private void fetchBlob(ImageStore store, String digest) throws IOException, InterruptedException {
    if (store.hasBlob(digest)) {
      return;
    }
    HttpResponse<InputStream> response = send("blobs/" + digest, false);
    try (InputStream body = response.body()) {
      store.storeBlob(body, digest);
    }
  }

  private byte[] fetchVerified(String path, String digest, boolean manifest)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response = send(path, manifest);
    byte[] bytes;
    try (InputStream body = response.body()) {
      bytes = body.readAllBytes();
    }
    String actual = "sha256:" + HexFormat.of().formatHex(ImageStore.sha256().digest(bytes));
    if (!actual.equals(digest)) {
      throw new ImageImportException(
          502, "registry returned content " + actual + " for " + digest, "the registry is corrupt");
    }
    return bytes;
  }

  private HttpResponse<InputStream> send(String path, boolean manifest)
      throws IOException, InterruptedException {
    URI uri = URI.create(base + repository + "/" + path);
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET();
      if (manifest) {
        request.header("Accept", ACCEPT);
      }
      if (bearer != null) {
        request.header("Authorization", "Bearer " + bearer);
      }
      HttpResponse<InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() == 401 && bearer == null) {
        response.body().close();
        Optional<String> challenge = response.headers().firstValue("www-authenticate");
        if (challenge.isPresent() && challenge.get().startsWith("Bearer")) {
          bearer = anonymousToken(challenge.get());
          continue;
        }
      }
      if (response.statusCode() == 404) {
        response.body().close();
        throw new ImageImportException(
            404,
            image.repository()
                + "@"
                + path.substring(path.indexOf('/') + 1)
                + " not found in the registry",
            "push the image first, or check the digest");
      }
      if (response.statusCode() / 100 != 2) {
        response.body().close();
        throw new IOException("HTTP " + response.statusCode() + " for " + uri);
      }
      return response;
    }
    throw new ImageImportException(
        502,
        "registry " + base + " refused anonymous access to " + repository,
        "the runtime pulls anonymously only");
  }

  private String anonymousToken(String challenge) throws IOException, InterruptedException {
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    String realm = null;
    StringBuilder query = new StringBuilder();
    while (m.find()) {
      if (m.group(1).equals("realm")) {
        realm = m.group(2);
      } else {
        query.append(query.length() == 0 ? "?" : "&");
        query
            .append(m.group(1))
            .append('=')
            .append(URLEncoder.encode(m.group(2), StandardCharsets.UTF_8));
      }
    }
    if (realm == null) {
      throw new IOException("registry asked for a bearer token without a realm");
    }
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(realm + query)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JsonNode token = RuntimeJson.MAPPER.readTree(response.body());
    return token.has("token") ? token.get("token").asText() : token.path("access_token").asText();
  }
}
