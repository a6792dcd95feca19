package io.fctoolkit.runtime.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * An OCI image archive without the blobs the runtime already stores: what an incremental deploy
 * uploads, since only its classes and resources layers are new (the dependency layer, most of the
 * bytes, is unchanged). The runtime verifies every blob it receives and finds the others in its own
 * store, so leaving a blob out can never make it accept content it does not have.
 */
public final class ThinArchive {

  private ThinArchive() {}

  /**
   * The blobs of an OCI layout archive by digest, with their sizes; empty for any other archive (a
   * docker-save archive names its layers by path, so it is always sent whole).
   */
  public static Map<String, Long> blobs(Path tarball) throws IOException {
    Map<String, Long> blobs = new LinkedHashMap<>();
    boolean oci = false;
    try (TarArchiveInputStream tar = open(tarball)) {
      TarArchiveEntry entry;
      // getNextEntry skips the rest of each entry without reading it (the file stream seeks).
      while ((entry = tar.getNextEntry()) != null) {
        String name = ImageStore.normalize(entry.getName());
        Matcher blob = ImageStore.OCI_BLOB.matcher(name);
        if (entry.isFile() && blob.matches()) {
          blobs.put("sha256:" + blob.group(1), entry.getSize());
        }
        oci |= name.equals("index.json");
      }
    }
    return oci ? blobs : Map.of();
  }

  /** The archive's bytes without the entries of the {@code omitted} blob digests. */
  public static byte[] without(Path tarball, Set<String> omitted) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveInputStream in = open(tarball);
        TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        Matcher blob = ImageStore.OCI_BLOB.matcher(ImageStore.normalize(entry.getName()));
        if (blob.matches() && omitted.contains("sha256:" + blob.group(1))) {
          continue;
        }
        out.putArchiveEntry(entry);
        if (entry.isFile()) {
          in.transferTo(out);
        }
        out.closeArchiveEntry();
      }
      out.finish();
    }
    return bytes.toByteArray();
  }

  private static TarArchiveInputStream open(Path tarball) throws IOException {
    InputStream file = Files.newInputStream(tarball);
    return new TarArchiveInputStream(new BufferedInputStream(file, 1 << 16));
  }
}
