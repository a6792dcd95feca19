package io.fctoolkit.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads an OCI image layout archive the way a runtime would: index, manifest, config, layers. */
final class OciArchive {

  final Map<String, byte[]> files = new HashMap<>();
  final JsonNode index;
  final String manifestDigest;
  final JsonNode manifest;
  final JsonNode config;

  OciArchive(Path tarball) throws IOException {
    try (InputStream in = Files.newInputStream(tarball);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (entry.isFile()) {
          files.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    index = json.readTree(files.get("index.json"));
    manifestDigest = index.path("manifests").get(0).path("digest").asText();
    manifest = json.readTree(blob(manifestDigest));
    config = json.readTree(blob(manifest.path("config").path("digest").asText()));
  }

  byte[] blob(String digest) {
    byte[] blob = files.get("blobs/sha256/" + digest.substring("sha256:".length()));
    if (blob == null) {
      throw new IllegalStateException("no blob " + digest + " in archive, has " + files.keySet());
    }
    return blob;
  }

  List<String> layerDigests() {
    List<String> digests = new ArrayList<>();
    manifest.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
    return digests;
  }

  /** The entries of the layer at {@code index}: path -> entry. */
  Map<String, TarArchiveEntry> layerEntries(int index) throws IOException {
    Map<String, TarArchiveEntry> entries = new java.util.LinkedHashMap<>();
    byte[] blob = blob(layerDigests().get(index));
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        entries.put(entry.getName(), entry);
      }
    }
    return entries;
  }
}
