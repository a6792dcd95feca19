package io.fctoolkit.maven.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.EnvironmentFunction;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.GitNothingToChangeException;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.PromotionResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Records what {@code fc:deploy -Dfc.record=git} published as a release of the {@code dev}
 * environment file, by digest, as a commit on its own branch ({@code fc/release/dev/<fn>/<id>}),
 * pushed when the remote exists: the image updater's "write back to Git" for the inner loop.
 */
public final class ReleaseRecorder {

  /** The environment whose file records deployed builds. */
  public static final String ENVIRONMENT = "dev";

  private static final int DIGEST_CHARS = 12;

  private final GitPromoter promoter;
  private final String function;
  private final String alias;
  private final String releaseId;
  private final String projectVersion;
  private final EnvironmentFunction declared;
  private final Consumer<FcEvent> events;

  private ReleaseRecorder(
      GitPromoter promoter,
      String function,
      String alias,
      String releaseId,
      String projectVersion,
      EnvironmentFunction declared,
      Consumer<FcEvent> events) {
    this.declared = declared;
    this.promoter = promoter;
    this.function = function;
    this.alias = alias;
    this.releaseId = releaseId;
    this.projectVersion = projectVersion;
    this.events = events;
  }

  /** Whether {@code fc.record} asks for recording: {@code git}, or {@code none} (unset). */
  public static boolean enabled(String record) {
    if (record == null || record.isBlank() || record.trim().equalsIgnoreCase("none")) {
      return false;
    }
    if (record.trim().equalsIgnoreCase("git")) {
      return true;
    }
    throw Hints.invalidRequest(
        "record", record, "expected git or none (<record> in pom.xml or -Dfc.record)");
  }

  /**
   * Refuses {@code fc.record=git} on a deploy to an environment other than {@code local} or {@code
   * dev}: the recorder writes the dev environment file only, and recording there a deploy that went
   * elsewhere would make Git describe a build that environment never got.
   */
  public static void requireDevTarget(String record, String environment) {
    if (enabled(record) && !"local".equals(environment) && !"dev".equals(environment)) {
      throw Hints.invalidRequest(
          "record",
          record,
          "fc.record=git records into the dev environment, but this deploy goes to '"
              + environment
              + "'; perhaps you should deploy with -Dfc.env=local or dev to record, or promote to '"
              + environment
              + "' with -Dfc.via=git");
    }
  }

  /**
   * A recorder for {@code function}, checked before anything is built: the gitops folder exists and
   * its {@code dev} environment declares the function (a new function in an environment is a
   * reviewed change, not a deploy). The deploy's {@code alias} moves too when {@code dev} declares
   * it.
   *
   * @param gitops the gitops folder fc:deploy found, if any
   * @param release {@code fc.release}, or null for {@link #defaultReleaseId}
   */
  public static ReleaseRecorder open(
      Optional<Path> gitops,
      GitPromoter.Options options,
      String function,
      String alias,
      String release,
      String projectVersion,
      Consumer<FcEvent> events) {
    requireNonNull(function, "function");
    Path folder =
        gitops.orElseThrow(
            () ->
                new FcException(
                    "fc.record=git needs a gitops/ folder (with functions/ and environments/) in"
                        + " this project or above it, inside a Git clone",
                    "create it (see docs/gitops.md), set <gitops> in pom.xml, or drop"
                        + " -Dfc.record=git"));
    EnvironmentSpec dev = GitOpsRepository.open(folder).environments().get(ENVIRONMENT);
    if (dev == null) {
      throw new FcException(
          "fc.record=git records into gitops/environments/"
              + ENVIRONMENT
              + "/"
              + GitOpsRepository.ENVIRONMENT_FILE
              + ", which does not exist in "
              + folder,
          "create the dev environment file (see gitops/README.md)");
    }
    EnvironmentFunction declared =
        dev.function(function)
            .orElseThrow(
                () ->
                    new FcException(
                        "function " + function + " is not declared in " + dev.file(),
                        "add it under 'functions:' there first (with its dev alias), then deploy"
                            + " again"));
    if (release != null && !release.isBlank()) {
      try {
        new Release(release.trim(), ImageRef.parse("id-check@sha256:" + "0".repeat(64)));
      } catch (IllegalArgumentException e) {
        throw Hints.invalidRequest("release", release, e.getMessage());
      }
    }
    String moved = declared.alias(alias).isPresent() ? alias : null;
    if (moved == null) {
      events.accept(
          FcEvent.warn(
              "alias "
                  + alias
                  + " is not declared for "
                  + function
                  + " in "
                  + dev.file()
                  + ": the release is recorded without moving an alias"));
    }
    return new ReleaseRecorder(
        new GitPromoter(folder, options, events),
        function,
        moved,
        release == null || release.isBlank() ? null : release.trim(),
        projectVersion,
        declared,
        events);
  }

  /**
   * {@code <project version>-<first 12 hex digits of the digest>}: readable, and the same build
   * always gets the same id (deploying it again records nothing new).
   */
  public static String defaultReleaseId(String projectVersion, String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    String version =
        projectVersion == null
            ? ""
            : projectVersion
                .replaceAll("[^A-Za-z0-9._-]", "-")
                .replaceAll("^[^A-Za-z0-9]+", "")
                .toLowerCase(Locale.ROOT);
    int room = 63 - DIGEST_CHARS - 1;
    if (version.length() > room) {
      version = version.substring(0, room);
    }
    String id = hex.substring(0, Math.min(DIGEST_CHARS, hex.length()));
    return version.isEmpty() ? "sha-" + id : version + "-" + id;
  }

  /**
   * The release id to publish the build under: while the deploy's alias in the dev file still
   * points at a tag-named release, that release's id, so that plan and apply on the base branch
   * keep mapping the newest build to it until the record is merged (docs/gitops.md, 5.1); else
   * {@link #releaseId}. The recorded release is live either way: a release by digest is found by
   * content, whatever id a version was published under.
   */
  public String publishId(String digest) {
    return Optional.ofNullable(alias)
        .flatMap(declared::alias)
        .flatMap(a -> declared.release(a.release()))
        .filter(r -> !r.image().isPinned())
        .map(Release::id)
        .orElseGet(() -> releaseId(digest));
  }

  /**
   * The release id of the build with {@code digest}: {@code fc.release}; else the id the dev file
   * already gives this digest (the recorder keeps it, so the version is published under it too);
   * else {@link #defaultReleaseId}.
   */
  public String releaseId(String digest) {
    if (releaseId != null) {
      return releaseId;
    }
    return declared.releases().stream()
        .filter(r -> r.image().isPinned() && r.image().digest().equals(digest))
        .map(Release::id)
        .findFirst()
        .orElseGet(() -> defaultReleaseId(projectVersion, digest));
  }

  /**
   * The release as recorded: the built image's repository, pinned to its digest (also for a local
   * archive build, where the dev environment would accept a tag: a tag can move, a digest cannot).
   */
  public static Release release(String id, ImageSource image) {
    String repository =
        image instanceof ImageSource.Registry registry
            ? registry.image().repository()
            : ((ImageSource.Archive) image).repository();
    return new Release(id, ImageRef.byDigest(repository, image.digest()));
  }

  /** The last paragraph of the commit message: what the deploy published, and where. */
  public static String note(String function, PublishResult published, String target) {
    return "Deployed by fc:deploy: "
        + function
        + " version "
        + published.version().number()
        + (published.created() ? " (new)" : " (already published)")
        + " on "
        + target
        + ".";
  }

  /**
   * Commits the release (and the alias move) on its branch. Empty when the base branch already
   * records this release with the alias on it: the deploy changed nothing Git needs to know.
   */
  public Optional<PromotionResult> record(
      ImageSource image, PublishResult published, String target) {
    Release release = release(releaseId(image.digest()), image);
    try {
      return Optional.of(
          promoter.recordRelease(
              ENVIRONMENT, function, release, alias, note(function, published, target)));
    } catch (GitNothingToChangeException e) {
      events.accept(FcEvent.lifecycle("Nothing to record in Git: " + e.getMessage()));
      return Optional.empty();
    }
  }
}
