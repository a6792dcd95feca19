package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.runtime.rollout.RolloutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Rollouts in {@code rollouts.json} of the state folder, written as {@code state.json} is (temp
 * file, fsync, rename), so a {@code kill -9} leaves the previous or the next list.
 */
final class RolloutFile implements RolloutStore {

  private static final TypeReference<List<RolloutStatus>> LIST = new TypeReference<>() {};

  private final Path file;

  RolloutFile(Path stateDir) {
    this.file = stateDir.resolve("rollouts.json");
  }

  @Override
  public List<RolloutStatus> load() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return RuntimeJson.MAPPER.readValue(file.toFile(), LIST);
    } catch (IOException e) {
      throw new IOException(
          "rollout file "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "); move it away to start",
          e);
    }
  }

  @Override
  public void save(List<RolloutStatus> rollouts) throws IOException {
    AtomicFiles.write(file, RuntimeJson.MAPPER.writeValueAsBytes(rollouts), true);
  }
}
