package io.fctoolkit.core.gitops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git's smart HTTP protocol (stateless RPC) over one bare repository, on the JDK's HTTP server and
 * JGit's own {@link UploadPack} and {@link ReceivePack}, behind HTTP Basic authentication with one
 * user and token, as a forge asks for a token. Port 0: an ephemeral port.
 */
final class SmartHttpGitServer implements AutoCloseable {

  private final HttpServer server;
  private final java.nio.file.Path bare;
  private final String expectedAuthorization;

  /** The Authorization headers received, to check what the client sent. */
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  SmartHttpGitServer(java.nio.file.Path bare, String user, String token) throws IOException {
    this.bare = bare;
    this.expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>/repo.git}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo.git";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizations.add(authorization);
      }
      if (!expectedAuthorization.equals(authorization)) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
        if (path.endsWith("/info/refs") && query != null && query.startsWith("service=")) {
          String service = query.substring("service=".length());
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/x-" + service + "-advertisement");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          PacketLineOut packets = new PacketLineOut(out);
          packets.writeString("# service=" + service + "\n");
          packets.end();
          RefAdvertiser.PacketLineOutRefAdvertiser advertiser =
              new RefAdvertiser.PacketLineOutRefAdvertiser(packets);
          if (service.equals("git-upload-pack")) {
            UploadPack upload = new UploadPack(repo);
            upload.setBiDirectionalPipe(false);
            upload.sendAdvertisedRefs(advertiser);
          } else {
            ReceivePack receive = new ReceivePack(repo);
            receive.setBiDirectionalPipe(false);
            receive.sendAdvertisedRefs(advertiser);
          }
          out.flush();
          return;
        }
        InputStream in = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          in = new GZIPInputStream(in);
        }
        if (path.endsWith("/git-upload-pack")) {
          exchange.getResponseHeaders().add("Content-Type", "application/x-git-upload-pack-result");
          exchange.sendResponseHeaders(200, 0);
          UploadPack upload = new UploadPack(repo);
          upload.setBiDirectionalPipe(false);
          upload.upload(in, exchange.getResponseBody(), null);
        } else if (path.endsWith("/git-receive-pack")) {
          exchange
              .getResponseHeaders()
              .add("Content-Type", "application/x-git-receive-pack-result");
          exchange.sendResponseHeaders(200, 0);
          ReceivePack receive = new ReceivePack(repo);
          receive.setBiDirectionalPipe(false);
          receive.receive(in, exchange.getResponseBody(), null);
        } else {
          exchange.sendResponseHeaders(404, -1);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
