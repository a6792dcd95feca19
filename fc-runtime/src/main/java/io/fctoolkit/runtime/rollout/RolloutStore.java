package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.RolloutStatus;
import java.io.IOException;
import java.util.List;

/** Where rollouts are kept across restarts: the latest one of each alias, finished or not. */
public interface RolloutStore {

  List<RolloutStatus> load() throws IOException;

  /** Replaces what is stored, atomically (the previous or the new list survives a crash). */
  void save(List<RolloutStatus> rollouts) throws IOException;
}
