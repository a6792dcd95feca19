package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.ImageRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A content-addressed image store: blobs under {@code blobs/sha256/<hex>}, one small record per
 * image, and the application folder ({@code /app}) of each image unpacked once.
 *
 * <p>Imports OCI image archives (OCI layout, as jib writes with the OCI format) and docker-save
 * archives (jib's default tarball), and pulls images by digest through {@link RegistryPuller}. Only
 * entries under {@code /app} are unpacked: base-image layers are stored but never extracted, since
 * instances run with a local JDK.
 *
 * <p>About 600 lines: the blob store, the two archive readers and the unpacking share one lock and
 * one on-disk layout; the archive readers are the part to move out if it grows.
 */
public final class ImageStore {

  private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

  /** A blob entry of an OCI layout archive, as {@link #normalize} leaves its name. */
  static final Pattern OCI_BLOB = Pattern.compile("blobs/sha256/([0-9a-f]{64})");

  private static final int MAX_JSON = 4 << 20;

  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private final Path root;
  private final Path blobs;
  private final Path records;
  private final Path apps;
  private final Path layerFiles;
  private final Path tmp;

  public ImageStore(Path root) throws IOException {
    this.root = root;
    this.blobs = Files.createDirectories(root.resolve("blobs/sha256"));
    this.records = Files.createDirectories(root.resolve("images"));
    this.apps = Files.createDirectories(root.resolve("app"));
    this.layerFiles = Files.createDirectories(root.resolve("layers"));
    this.tmp = root.resolve("tmp");
    clean(tmp);
    Files.createDirectories(tmp);
  }

  /** The images the store holds. */
  public List<ImageRecord> list() {
    try (Stream<Path> files = Files.list(records)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(this::readRecord)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<ImageRecord> get(String digest) {
    if (!SHA256.matcher(digest).matches()) {
      return Optional.empty();
    }
    Path file = records.resolve(hex(digest) + ".json");
    return Files.exists(file) ? Optional.of(readRecord(file)) : Optional.empty();
  }

  /**
   * Imports an image archive streamed from {@code in}.
   *
   * @param expectedDigest the manifest digest the caller expects, or null
   * @param repository the name to record
   */
  public synchronized ImageRecord importArchive(
      InputStream in, String expectedDigest, String repository) {
    if (expectedDigest != null && !SHA256.matcher(expectedDigest).matches()) {
      throw new ImageImportException(
          400,
          "digest: '" + expectedDigest + "' is not a sha256 digest",
          "pass sha256: followed by 64 lower-case hex digits");
    }
    Map<String, byte[]> jsonFiles = new HashMap<>();
    Map<String, String> fileDigests = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = normalize(entry.getName());
        if (name.endsWith(".json") || name.equals("oci-layout")) {
          if (entry.getSize() > MAX_JSON) {
            throw new ImageImportException(400, "archive entry " + name + " is too large", null);
          }
          byte[] bytes = tar.readAllBytes();
          jsonFiles.put(name, bytes);
          // Docker archives name the config by hash; keep it as a blob too.
          fileDigests.put(name, putBlob(bytes));
        } else {
          var matcher = OCI_BLOB.matcher(name);
          String digest = storeBlob(tar, matcher.matches() ? "sha256:" + matcher.group(1) : null);
          fileDigests.put(name, digest);
        }
      }
    } catch (IOException e) {
      throw new ImageImportException(
          400,
          "image archive could not be read: " + e.getMessage(),
          "pass the tarball jib wrote (OCI layout or docker-save format)",
          e);
    }
    ImageRecord record;
    if (jsonFiles.containsKey("index.json")) {
      record = fromOciLayout(jsonFiles, expectedDigest, repository);
    } else if (jsonFiles.containsKey("manifest.json")) {
      record = fromDockerSave(jsonFiles, fileDigests, expectedDigest, repository);
    } else {
      throw new ImageImportException(
          400,
          "image archive has neither index.json (OCI layout) nor manifest.json (docker save)",
          "pass the tarball jib wrote with a TarImage target");
    }
    for (String layer : record.layers()) {
      requireBlob(layer);
    }
    requireBlob(record.configDigest());
    writeRecord(record);
    return record;
  }

  /** Pulls an image by digest from a registry (plain HTTP when {@code insecure}). */
  public ImageRecord pull(ImageRef image, boolean insecure) {
    if (!image.isPinned()) {
      throw new ImageImportException(
          400, "image " + image + " is not pinned by digest", "pull by repository@sha256:...");
    }
    Optional<ImageRecord> existing = get(image.digest());
    if (existing.isPresent()) {
      return existing.get();
    }
    RegistryPuller puller = new RegistryPuller(image, insecure);
    ImageRecord record = puller.pull(this);
    synchronized (this) {
      writeRecord(record);
    }
    return record;
  }

  /**
   * The image's {@code /app} folder, made on first use: files under {@code /app} from every layer
   * in order, with whiteouts applied. Returns the folder that stands for {@code /app}.
   *
   * <p>Each layer is unpacked once into its own folder ({@link #layerFile}); an image's folder is
   * then made of hard links to those files, so an incremental deploy, whose dependency layer is
   * unchanged, unpacks only its small classes and resources layers. A layer with whiteouts (jib
   * never writes any) is extracted from its tarball instead, since its own folder cannot say what
   * it removes.
   */
  public synchronized Path unpackApp(String digest) {
    ImageRecord record =
        get(digest)
            .orElseThrow(
                () ->
                    new ImageImportException(
                        404,
                        "image " + digest + " is not in the runtime's image store",
                        "import it first: POST /v1/images with the tarball or a registry"
                            + " reference"));
    Path target = apps.resolve(hex(digest));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path work = tmp.resolve("unpack-" + hex(digest));
    try {
      clean(work);
      Files.createDirectories(work);
      for (String layer : record.layers()) {
        Path unpacked = unpackLayer(layer);
        if (isPlain(layer)) {
          linkTree(unpacked, work);
        } else {
          extractAppEntries(blobPath(layer), work);
        }
      }
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      AtomicFiles.fsyncDirectory(apps);
    } catch (IOException e) {
      throw new ImageImportException(
          400, "could not unpack image " + digest + ": " + e.getMessage(), null, e);
    }
    return target;
  }

  /** Hard-links every file under {@code from} into the same place under {@code to}. */
  private static void linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path out = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(out);
        } else if (Files.isRegularFile(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(out);
          try {
            Files.createLink(out, source);
          } catch (UnsupportedOperationException | IOException e) {
            // A file system without hard links: a copy serves the same.
            Files.copy(source, out, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  /**
   * The file {@code relative} (a path under {@code /app}) as the image's last layer holding it has
   * it, unpacked once per layer under {@code layers/<layer>/}: a path that stays the same for every
   * image sharing that layer, which is what lets a class-data archive made for one version's
   * dependency jars serve the next version (archives only match jars at the exact same paths).
   * Asked only for files present in {@link #unpackApp}, so the last layer holding the path is the
   * one whose file is there (a later whiteout would have removed it from that folder).
   */
  public synchronized Optional<Path> layerFile(String imageDigest, String relative) {
    ImageRecord record = get(imageDigest).orElse(null);
    if (record == null) {
      return Optional.empty();
    }
    List<String> layers = record.layers();
    try {
      for (int i = layers.size() - 1; i >= 0; i--) {
        Path file = unpackLayer(layers.get(i)).resolve(relative).normalize();
        if (Files.isRegularFile(file)) {
          return Optional.of(file);
        }
      }
    } catch (IOException e) {
      throw new ImageImportException(
          400, "could not unpack a layer of image " + imageDigest + ": " + e.getMessage(), null, e);
    }
    return Optional.empty();
  }

  /** Whether {@code file} is one of the per-layer files of {@link #layerFile}. */
  public boolean isLayerFile(Path file) {
    return file.startsWith(layerFiles);
  }

  private Path unpackLayer(String layer) throws IOException {
    Path target = layerFiles.resolve(hex(layer));
    if (Files.isDirectory(target)) {
      return target;
    }
    Path work = tmp.resolve("layer-" + hex(layer));
    clean(work);
    Files.createDirectories(work);
    boolean whiteouts = extractAppEntries(blobPath(layer), work);
    Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
    if (!whiteouts) {
      // Written after the folder is in place: a folder without it (a crash in between, or one from
      // before this marker existed) is simply never linked from.
      Files.createFile(plainMarker(layer));
    }
    AtomicFiles.fsyncDirectory(layerFiles);
    return target;
  }

  /**
   * Whether a layer has no whiteouts, so its folder holds all it does. Told by the marker written
   * when it was unpacked; a folder unpacked before markers existed is checked once and marked.
   */
  private boolean isPlain(String layer) throws IOException {
    if (Files.exists(plainMarker(layer))) {
      return true;
    }
    try (TarArchiveInputStream tar = openLayer(blobPath(layer))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (Path.of(normalize(entry.getName())).getFileName().toString().startsWith(".wh.")) {
          return false;
        }
      }
    }
    Files.createFile(plainMarker(layer));
    return true;
  }

  /** A layer blob's tar entries, gunzipped when it is compressed. */
  private static TarArchiveInputStream openLayer(Path layer) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(layer));
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    return new TarArchiveInputStream(
        (b1 == 0x1f && b2 == 0x8b) ? new GzipCompressorInputStream(raw) : raw);
  }

  /** The file saying that a layer's folder holds all it does: it has no whiteouts. */
  private Path plainMarker(String layer) {
    return layerFiles.resolve(hex(layer) + ".plain");
  }

  /** The image's configuration JSON (entrypoint, env, labels). */
  public JsonNode config(String digest) {
    ImageRecord record =
        get(digest)
            .orElseThrow(
                () -> new ImageImportException(404, "image " + digest + " not found", null));
    try {
      return RuntimeJson.MAPPER.readTree(blobPath(record.configDigest()).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path blobPath(String digest) {
    return blobs.resolve(hex(digest));
  }

  /** Whether the store holds the blob {@code digest} (verified when it was stored). */
  public boolean hasBlob(String digest) {
    return SHA256.matcher(digest).matches() && Files.exists(blobPath(digest));
  }

  /** Stores a stream as a blob; verifies it against {@code expected} when given. */
  String storeBlob(InputStream in, String expected) throws IOException {
    Path work = Files.createTempFile(tmp, "blob", ".part");
    try {
      MessageDigest sha = sha256();
      // The caller owns {@code in} (often a tar stream positioned at one entry): never close it.
      DigestInputStream digesting = new DigestInputStream(in, sha);
      try (OutputStream out = Files.newOutputStream(work)) {
        digesting.transferTo(out);
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (expected != null && !expected.equals(actual)) {
        throw new ImageImportException(
            400,
            "blob content does not match its digest: expected " + expected + " but got " + actual,
            "the archive or registry content is corrupt; rebuild or re-push the image");
      }
      Path target = blobPath(actual);
      if (!Files.exists(target)) {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return actual;
    } finally {
      Files.deleteIfExists(work);
    }
  }

  String putBlob(byte[] bytes) throws IOException {
    return storeBlob(new java.io.ByteArrayInputStream(bytes), null);
  }

  byte[] readBlob(String digest) throws IOException {
    return Files.readAllBytes(blobPath(digest));
  }

  private ImageRecord fromOciLayout(
      Map<String, byte[]> jsonFiles, String expectedDigest, String repository) {
    try {
      JsonNode index = RuntimeJson.MAPPER.readTree(jsonFiles.get("index.json"));
      JsonNode manifests = index.path("manifests");
      if (!manifests.isArray() || manifests.isEmpty()) {
        throw new ImageImportException(400, "index.json of the archive lists no manifest", null);
      }
      String manifestDigest = manifests.get(0).path("digest").asText();
      if (expectedDigest != null) {
        for (JsonNode m : manifests) {
          if (expectedDigest.equals(m.path("digest").asText())) {
            manifestDigest = expectedDigest;
          }
        }
      }
      requireBlob(manifestDigest);
      return fromManifest(
          manifestDigest, readBlob(manifestDigest), expectedDigest, repository, true);
    } catch (IOException e) {
      throw new ImageImportException(400, "malformed OCI layout: " + e.getMessage(), null, e);
    }
  }

  /** Builds a record from manifest bytes that hash to {@code digest}. */
  ImageRecord fromManifest(
      String digest,
      byte[] manifestBytes,
      String expectedDigest,
      String repository,
      boolean verified)
      throws IOException {
    if (expectedDigest != null && !expectedDigest.equals(digest)) {
      throw new ImageImportException(
          400,
          "image digest mismatch: expected " + expectedDigest + " but the archive holds " + digest,
          "publish the digest the build reported for this archive");
    }
    JsonNode manifest = RuntimeJson.MAPPER.readTree(manifestBytes);
    String config = manifest.path("config").path("digest").asText(null);
    if (config == null) {
      throw new ImageImportException(400, "manifest " + digest + " has no config", null);
    }
    List<String> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(layer.path("digest").asText());
    }
    return new ImageRecord(digest, repository, config, layers, verified);
  }

  private ImageRecord fromDockerSave(
      Map<String, byte[]> jsonFiles,
      Map<String, String> fileDigests,
      String expectedDigest,
      String repository) {
    try {
      JsonNode entries = RuntimeJson.MAPPER.readTree(jsonFiles.get("manifest.json"));
      JsonNode entry = entries.isArray() && !entries.isEmpty() ? entries.get(0) : null;
      if (entry == null || !entry.path("Config").isTextual()) {
        throw new ImageImportException(400, "manifest.json of the archive names no Config", null);
      }
      String configName = normalize(entry.path("Config").asText());
      String configDigest = fileDigests.get(configName);
      if (configDigest == null) {
        throw new ImageImportException(
            400, "the archive's manifest.json names " + configName + " which is missing", null);
      }
      // The archive carries no registry manifest; rebuild the one a registry push would make
      // (Docker V2.2), which is also the digest jib reports for a docker-format tarball.
      ObjectNode manifest = RuntimeJson.MAPPER.createObjectNode();
      manifest.put("schemaVersion", 2);
      manifest.put("mediaType", DOCKER_MANIFEST);
      ObjectNode config = manifest.putObject("config");
      config.put("mediaType", DOCKER_CONFIG);
      config.put("digest", configDigest);
      config.put("size", Files.size(blobPath(configDigest)));
      ArrayNode layers = manifest.putArray("layers");
      List<String> layerDigests = new ArrayList<>();
      for (JsonNode layerName : entry.path("Layers")) {
        String digest = fileDigests.get(normalize(layerName.asText()));
        if (digest == null) {
          throw new ImageImportException(
              400,
              "the archive's manifest.json names layer " + layerName.asText() + " which is missing",
              null);
        }
        ObjectNode layer = layers.addObject();
        layer.put("mediaType", DOCKER_LAYER);
        layer.put("digest", digest);
        layer.put("size", Files.size(blobPath(digest)));
        layerDigests.add(digest);
      }
      byte[] bytes = RuntimeJson.MAPPER.writeValueAsBytes(manifest);
      String computed = putBlob(bytes);
      boolean verified = expectedDigest == null || expectedDigest.equals(computed);
      String digest = expectedDigest != null ? expectedDigest : computed;
      // A mismatch is not proof of corruption (JSON formatting may differ from the builder's),
      // so the layers and config are verified by content and the digest is recorded as unverified.
      return new ImageRecord(digest, repository, configDigest, layerDigests, verified);
    } catch (IOException e) {
      throw new ImageImportException(
          400, "malformed docker-save archive: " + e.getMessage(), null, e);
    }
  }

  private void requireBlob(String digest) {
    if (digest == null || !SHA256.matcher(digest).matches() || !hasBlob(digest)) {
      throw new ImageImportException(
          400,
          "image content " + digest + " is missing from the archive",
          "the archive is incomplete; rebuild it");
    }
  }

  /**
   * Extracts a layer's {@code /app} entries into {@code work}, applying its whiteouts there, and
   * says whether it had any.
   */
  private static boolean extractAppEntries(Path layer, Path work) throws IOException {
    boolean whiteouts = false;
    try (TarArchiveInputStream tar = openLayer(layer)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = normalize(entry.getName());
        if (!name.equals("app") && !name.startsWith("app/")) {
          continue;
        }
        String relative = name.equals("app") ? "" : name.substring(4);
        if (relative.isEmpty()) {
          continue;
        }
        if (relative.contains("..")) {
          throw new IOException("layer entry escapes /app: " + entry.getName());
        }
        Path out = work.resolve(relative).normalize();
        if (!out.startsWith(work)) {
          throw new IOException("layer entry escapes /app: " + entry.getName());
        }
        String file = out.getFileName().toString();
        if (file.startsWith(".wh.")) {
          whiteouts = true;
        }
        if (file.equals(".wh..wh..opq")) {
          clean(out.getParent());
          Files.createDirectories(out.getParent());
          continue;
        }
        if (file.startsWith(".wh.")) {
          clean(out.getParent().resolve(file.substring(4)));
          continue;
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else if (entry.isFile()) {
          Files.createDirectories(out.getParent());
          Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        }
        // Links and devices are not needed to run a JVM classpath; they are skipped on purpose.
      }
    }
    return whiteouts;
  }

  private ImageRecord readRecord(Path file) {
    try {
      return RuntimeJson.MAPPER.readValue(file.toFile(), ImageRecord.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void writeRecord(ImageRecord record) {
    try {
      AtomicFiles.write(
          records.resolve(hex(record.digest()) + ".json"),
          RuntimeJson.MAPPER.writeValueAsBytes(record),
          false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  static String hex(String digest) {
    return digest.substring("sha256:".length());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void clean(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path tmpDir() {
    return tmp;
  }

  Path root() {
    return root;
  }
}
