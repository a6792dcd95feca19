package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.grader.GraderConfig;
import io.fctoolkit.grader.GraderException;
import io.fctoolkit.grader.ImageFetchRejectedException;
import io.fctoolkit.grader.ImageFetchTimeoutException;
import io.fctoolkit.grader.ImageHostUnavailableException;
import io.fctoolkit.grader.ImageTooLargeException;
import io.fctoolkit.grader.SourceNotAllowedException;
import io.fctoolkit.grader.UnsupportedSchemeException;
import io.fctoolkit.grader.testing.ImageServer;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFetcherTest {

  @TempDir Path temp;
  private ImageServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ImageServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ImageFetcher fetcher(String hosts, Path root, long maxBytes, long timeoutMs) {
    var env = new java.util.HashMap<String, String>();
    env.put("GRADER_ALLOWED_HOSTS", hosts);
    env.put("GRADER_FILE_ROOTS", root == null ? "" : root.toString());
    env.put("GRADER_MAX_IMAGE_BYTES", String.valueOf(maxBytes));
    env.put("GRADER_FETCH_TIMEOUT_MS", String.valueOf(timeoutMs));
    return new ImageFetcher(GraderConfig.fromEnv(env));
  }

  @Test
  void withNoHostAllowed_buildsNoHttpClient_andStillRefusesHttpUris() {
    // Given: file roots only, the configuration of the runtime benchmark
    ImageFetcher files = fetcher("", null, 1000, 1000);

    // Then: no java.net.http client competes with the first grading for the CPU
    assertThat(files.hasHttpClient()).isFalse();
    assertThatThrownBy(() -> files.fetch(URI.create("http://example.invalid/a.jpg")))
        .isInstanceOf(SourceNotAllowedException.class)
        .hasMessageContaining("GRADER_ALLOWED_HOSTS");
    assertThat(fetcher("example.invalid", null, 1000, 1000).hasHttpClient()).isTrue();
  }

  @Test
  void hostEntryWithPort_allowsOnlyThatPort() {
    server.bytes("/a.jpg", new byte[] {1, 2, 3});
    assertThat(
            fetcher(server.authority(), null, 1000, 2000).fetch(URI.create(server.url("/a.jpg"))))
        .containsExactly(1, 2, 3);
    assertThatThrownBy(
            () -> fetcher("127.0.0.1:1", null, 1000, 2000).fetch(URI.create(server.url("/a.jpg"))))
        .isInstanceOf(SourceNotAllowedException.class)
        .hasMessageContaining("GRADER_ALLOWED_HOSTS");
  }

  @Test
  void bareHostEntry_allowsTheDefaultPortOnly() {
    assertThatThrownBy(
            () -> fetcher("127.0.0.1", null, 1000, 2000).fetch(URI.create(server.url("/a.jpg"))))
        .isInstanceOf(SourceNotAllowedException.class);
  }

  @Test
  void hostNameCase_andUserInfo_doNotBypassTheList() {
    var fetcher = fetcher("images.example.com", null, 1000, 2000);
    assertThatThrownBy(
            () -> fetcher.fetch(URI.create("http://images.example.com@127.0.0.1:9/a.jpg")))
        .isInstanceOf(SourceNotAllowedException.class)
        .hasMessageNotContaining("images.example.com@");
  }

  @Test
  void redirectChain_isCheckedAtEveryHop_andBounded() {
    server.redirect("/r1", "/r2").redirect("/r2", "http://10.0.0.1/secret");
    assertThatThrownBy(
            () ->
                fetcher(server.authority(), null, 1000, 2000).fetch(URI.create(server.url("/r1"))))
        .isInstanceOf(SourceNotAllowedException.class)
        .hasMessageContaining("10.0.0.1");
    server.redirect("/loop", "/loop");
    assertThatThrownBy(
            () ->
                fetcher(server.authority(), null, 1000, 2000)
                    .fetch(URI.create(server.url("/loop"))))
        .isInstanceOf(ImageFetchRejectedException.class)
        .hasMessageContaining("redirects");
    server.redirect("/to-file", "file:///etc/passwd");
    assertThatThrownBy(
            () ->
                fetcher(server.authority(), null, 1000, 2000)
                    .fetch(URI.create(server.url("/to-file"))))
        .isInstanceOf(SourceNotAllowedException.class);
  }

  @Test
  void sizeCap_appliesToDeclaredAndStreamedBodies() {
    server.bytes("/big", new byte[5000]);
    server.handle(
        "/chunked",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 10; i++) {
              out.write(new byte[1000]);
            }
          }
        });
    var fetcher = fetcher(server.authority(), null, 4000, 2000);
    assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/big"))))
        .isInstanceOf(ImageTooLargeException.class);
    assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/chunked"))))
        .isInstanceOf(ImageTooLargeException.class);
  }

  @Test
  void slowBody_isCutAtTheDeadline() {
    server.handle(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 50; i++) {
              out.write(new byte[10]);
              out.flush();
              Thread.sleep(100);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                fetcher(server.authority(), null, 100_000, 500)
                    .fetch(URI.create(server.url("/drip"))))
        .isInstanceOf(ImageFetchTimeoutException.class)
        .satisfies(e -> assertThat(((GraderException) e).retryable()).isTrue());
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4_000);
  }

  @Test
  void refusedConnection_isRetryable() throws Exception {
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                fetcher("127.0.0.1:" + port, null, 1000, 2000)
                    .fetch(URI.create("http://127.0.0.1:" + port + "/a.jpg")))
        .isInstanceOf(ImageHostUnavailableException.class)
        .satisfies(e -> assertThat(((GraderException) e).httpStatus()).isEqualTo(503));
  }

  @Test
  void upstream403_isPermanent() {
    server.status("/private", 403);
    assertThatThrownBy(
            () ->
                fetcher(server.authority(), null, 1000, 2000)
                    .fetch(URI.create(server.url("/private"))))
        .isInstanceOf(ImageFetchRejectedException.class)
        .satisfies(e -> assertThat(((GraderException) e).retryable()).isFalse());
  }

  @Test
  void fileRoots_refuseTraversalAndSymlinkEscapes() throws Exception {
    Path root = Files.createDirectories(temp.resolve("photos"));
    Path outside = Files.write(temp.resolve("secret.jpg"), new byte[] {9});
    Files.write(root.resolve("ok.jpg"), new byte[] {7});
    Files.createSymbolicLink(root.resolve("link.jpg"), outside);
    var fetcher = fetcher("", root, 1000, 2000);
    assertThat(fetcher.fetch(root.resolve("ok.jpg").toUri())).containsExactly(7);
    assertThatThrownBy(() -> fetcher.fetch(URI.create(root.toUri() + "../secret.jpg")))
        .isInstanceOf(SourceNotAllowedException.class);
    assertThatThrownBy(() -> fetcher.fetch(URI.create(root.toUri() + "%2e%2e/secret.jpg")))
        .isInstanceOf(SourceNotAllowedException.class);
    assertThatThrownBy(() -> fetcher.fetch(root.resolve("link.jpg").toUri()))
        .isInstanceOf(SourceNotAllowedException.class);
    assertThatThrownBy(() -> fetcher.fetch(URI.create("file://somehost/etc/passwd")))
        .isInstanceOf(SourceNotAllowedException.class);
    // A sibling folder sharing the root's name prefix is not inside the root.
    Path sibling = Files.createDirectories(temp.resolve("photos-other"));
    Files.write(sibling.resolve("x.jpg"), new byte[] {1});
    assertThatThrownBy(() -> fetcher.fetch(sibling.resolve("x.jpg").toUri()))
        .isInstanceOf(SourceNotAllowedException.class);
  }

  @Test
  void noRootsConfigured_refusesEveryFile() {
    assertThatThrownBy(() -> fetcher("", null, 1000, 2000).fetch(URI.create("file:///tmp/a.jpg")))
        .isInstanceOf(SourceNotAllowedException.class)
        .hasMessageContaining("GRADER_FILE_ROOTS");
  }

  @Test
  void otherSchemes_areUnsupported() {
    var fetcher = fetcher("", null, 1000, 2000);
    for (String uri : new String[] {"ftp://h/a.jpg", "data:image/png;base64,AAAA", "gopher://h/"}) {
      assertThatThrownBy(() -> fetcher.fetch(URI.create(uri)))
          .isInstanceOf(UnsupportedSchemeException.class)
          .satisfies(
              e -> assertThat(((GraderException) e).details()).containsEntry("field", "imageUri"));
    }
  }

  @Test
  void photoToken_goesToTheNamedHostOnly_andIsNeverPrinted() {
    var seen = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    server.handle(
        "/private.jpg",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(exchange.getRequestHeaders().getFirst("Host") + " " + auth);
          ImageServer.send(exchange, "Bearer s3cret".equals(auth) ? 200 : 401, new byte[] {5});
        });
    String other = "localhost:" + server.authority().split(":")[1];
    server.redirect("/hop", "http://" + other + "/private.jpg");
    var env = new java.util.HashMap<String, String>();
    env.put("GRADER_ALLOWED_HOSTS", server.authority() + "," + other);
    env.put("GRADER_PHOTO_TOKEN", "s3cret");
    GraderConfig config = GraderConfig.fromEnv(env);
    assertThat(config.toString()).doesNotContain("s3cret").contains("photoToken=****");
    var fetcher = new ImageFetcher(config);
    assertThat(fetcher.fetch(URI.create(server.url("/private.jpg")))).containsExactly(5);
    // Redirected to another (allowed) host: the token stays behind, so that host refuses.
    assertThatThrownBy(() -> fetcher.fetch(URI.create(server.url("/hop"))))
        .isInstanceOf(ImageFetchRejectedException.class)
        .hasMessageContaining("401")
        .hasMessageNotContaining("s3cret");
    assertThat(seen).anyMatch(line -> line.startsWith("localhost") && line.endsWith("null"));
  }

  @Test
  void safe_dropsCredentialsAndQuery() {
    assertThat(ImageFetcher.safe(URI.create("https://user:pw@h.example/a.jpg?sig=secret")))
        .isEqualTo("https://h.example/a.jpg");
    assertThat(Map.of("k", ImageFetcher.safe(URI.create("data:xyz")))).containsValue("data:...");
  }
}
