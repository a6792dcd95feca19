package io.fctoolkit.core.gitops;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Files that follow from the gitops state and so belong in the same commit as a change of an
 * environment file: in pull mode, the environment's rendered manifests ({@code rendered/<env>/}),
 * which Argo CD or Flux apply. Without them a merged promotion would change the environment file
 * while the controllers keep applying the old manifests.
 */
@FunctionalInterface
public interface DerivedFiles {

  /** Nothing derives from an environment file: push mode, where {@code fc:apply} reads it. */
  DerivedFiles NONE = (gitopsDir, environment) -> List.of();

  /**
   * Brings what derives from {@code environment} up to date inside {@code gitopsDir}, which holds
   * the edited state (a scratch copy, never the working tree).
   *
   * @return the folders rewritten, relative to {@code gitopsDir} with {@code /} separators (e.g.
   *     {@code rendered/prod}); their whole content replaces theirs on the base branch. Empty when
   *     nothing derives from this environment.
   */
  List<String> update(Path gitopsDir, String environment) throws IOException;
}
