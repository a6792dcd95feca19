package io.fctoolkit.runtime.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's history in the state directory ({@code history.bin}), so that a restarted runtime
 * still shows the last hour: written every minute and on close (a temporary file moved over the
 * last one, so a crash leaves the previous copy), read once at start. Its size is bounded by the
 * history's own ({@link MetricsHistory#maxBytes()}, 5.9 MB, plus the series' names). A file that
 * cannot be read (cut, another interval) is reported and left for the next save to replace: the
 * history then starts empty, as it did before this file existed.
 */
public final class HistoryFile {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);

  private final Path file;

  public HistoryFile(Path stateDir) {
    this.file = stateDir.resolve("history.bin");
  }

  public Path path() {
    return file;
  }

  /**
   * Restores {@code history} from the file; false (logged) when there is none or it is unusable.
   */
  public boolean load(MetricsHistory history) {
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
      history.readFrom(in);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "dashboard history {} not restored, starting empty (the next save replaces it): {}",
          file,
          e.toString());
      return false;
    }
  }

  /** Writes {@code history} to the file; failures are logged, never thrown (it runs on a timer). */
  public void save(MetricsHistory history) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (OutputStream raw = Files.newOutputStream(temp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
        history.writeTo(out);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("dashboard history could not be saved to {}: {}", file, e.toString());
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the next save overwrites it
      }
    }
  }
}
