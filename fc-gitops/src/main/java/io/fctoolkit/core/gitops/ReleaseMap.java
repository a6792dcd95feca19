package io.fctoolkit.core.gitops;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Git release each live version of one function is, and which releases must be published
 * first. Also names live targets in Git's terms for the plan's wording.
 */
final class ReleaseMap {
  private final Map<String, Integer> versionOfRelease = new LinkedHashMap<>();
  private final Map<Integer, String> releaseOfVersion = new HashMap<>();
  // Versions of a Git release's image (or release id) published with an older configuration:
  // known to Git, so an alias on them is a pending change, not drift.
  private final Map<Integer, String> staleReleaseOfVersion = new HashMap<>();

  private ReleaseMap() {}

  /**
   * Maps the releases of {@code scope}'s function to its live versions; a pinned release with no
   * live version becomes a publish, a referenced tag-only one an error.
   */
  static ReleaseMap plan(GitOpsRepository repository, FunctionScope scope, PlanParts parts) {
    ReleaseMap map = new ReleaseMap();
    FunctionConfig config = scope.function().config();
    String name = scope.name();
    // A version is known to Git when any environment's release names its image or id: after a
    // reverted promotion prod's file no longer lists the release, but dev still does.
    List<Release> everywhere = new ArrayList<>();
    repository.environments().values().stream()
        .sorted(Comparator.comparing((EnvironmentSpec e) -> !e.name().equals(scope.env().name())))
        .forEach(e -> e.function(name).ifPresent(f -> everywhere.addAll(f.releases())));
    for (Version version : scope.live().versions()) {
      for (Release release : everywhere) {
        if (release.id().equals(version.releaseId())
            || version.imageDigest().equals(release.image().digest())) {
          map.staleReleaseOfVersion.putIfAbsent(
              version.number(),
              release.id()
                  + (version.contentId().equals(contentIdOf(release, config))
                      ? ""
                      : " (v" + version.number() + ", older config)"));
        }
      }
    }
    for (Release release : scope.envFunction().releases()) {
      Optional<Version> version = liveVersion(scope, release, config);
      if (version.isPresent()) {
        map.versionOfRelease.put(release.id(), version.get().number());
        map.releaseOfVersion.putIfAbsent(version.get().number(), release.id());
      } else if (release.image().isPinned()) {
        parts.publishes.add(
            new Plan.Publish(
                name, release, config, Version.contentId(release.image().digest(), config)));
      } else if (isReferenced(scope.envFunction(), release.id())) {
        parts.errors.add(
            name
                + " release "
                + release.id()
                + " names its image by tag ("
                + release.image()
                + ") and no live version carries it with the current configuration; deploy"
                + " it (a deploy publishes the image and records the release by digest), or"
                + " pin the image by digest");
      }
    }
    return map;
  }

  /**
   * The live version of a release: the one with its content id. A tag-only release (allowed in
   * {@code local} only) has no content id before it is published, so it is the newest version
   * published for that release id with the current configuration.
   */
  private static Optional<Version> liveVersion(
      FunctionScope scope, Release release, FunctionConfig config) {
    if (release.image().isPinned()) {
      return scope.live().versionWithContent(Version.contentId(release.image().digest(), config));
    }
    String hash = config.configHash();
    return scope.live().versions().stream()
        .filter(v -> release.id().equals(v.releaseId()))
        .filter(v -> v.config().configHash().equals(hash))
        .max(Comparator.comparingInt(Version::number));
  }

  private static String contentIdOf(Release release, FunctionConfig config) {
    return release.image().isPinned() ? Version.contentId(release.image().digest(), config) : "";
  }

  private static boolean isReferenced(EnvironmentFunction envFunction, String releaseId) {
    return envFunction.aliases().stream()
        .anyMatch(a -> a.release().equals(releaseId) || releaseId.equals(a.canaryRelease()));
  }

  /** The live version of Git release {@code releaseId} with the current configuration, or null. */
  Integer versionOf(String releaseId) {
    return versionOfRelease.get(releaseId);
  }

  /** The current Git release of live version {@code version}, or null. */
  String releaseOf(int version) {
    return releaseOfVersion.get(version);
  }

  /** Whether any Git release (current or of an older configuration) maps to {@code version}. */
  boolean known(int version) {
    return releaseOfVersion.containsKey(version) || staleReleaseOfVersion.containsKey(version);
  }

  /** A live version in Git's terms: its release id where Git knows it, else {@code v<n>}. */
  String name(int version) {
    return releaseOfVersion.getOrDefault(
        version, staleReleaseOfVersion.getOrDefault(version, "v" + version));
  }

  /** A live target in Git's terms: release ids where Git knows the version, else numbers. */
  String describe(AliasTarget target) {
    String primary = name(target.version());
    if (!target.hasCanary()) {
      return primary;
    }
    String canary = name(target.canaryVersion());
    return primary
        + " + canary "
        + canary
        + " at "
        + target.canaryWeight().toPlainString()
        + "%"
        + (target.affinity() == Affinity.KEY ? " (key affinity)" : "");
  }
}
