package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.knative.KnativeFinding;
import io.fctoolkit.knative.KnativeOptions;
import io.fctoolkit.knative.UnsupportedOnKnativeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every write of a function's Service: a read-modify-write of its version and alias ledgers, with
 * the manifest rebuilt from them and written by one guarded server-side apply.
 */
public final class ServiceWrites {

  /** Bounded retries of a read-modify-write when another writer changed the Service meanwhile. */
  private static final int WRITE_ATTEMPTS = 3;

  private final Kube kube;
  private final KnativeOptions options;
  private final Consumer<FcEvent> events;

  public ServiceWrites(Kube kube, KnativeOptions options, Consumer<FcEvent> events) {
    this.kube = requireNonNull(kube, "kube");
    this.options = requireNonNull(options, "options");
    this.events = requireNonNull(events, "events");
  }

  /** New ledgers for the Service; the manifest is rebuilt from them. */
  public record Change(List<VersionEntry> versions, List<AliasEntry> aliases) {}

  /** The function's Service as fc-toolkit recorded it, or {@link ServiceState#absent}. */
  public ServiceState read(String function) {
    return kube.get(KnativeKinds.SERVICE, function)
        .map(ServiceState::of)
        .orElse(ServiceState.absent(function));
  }

  /**
   * Read-modify-write of a function's Service, guarded by the resourceVersion read. {@code
   * mutation} returns null for "nothing to write". When another writer got in between, the change
   * is recomputed from fresh state (so per-alias revision checks run again); after {@value
   * #WRITE_ATTEMPTS} attempts the conflict is reported with both resourceVersions.
   */
  public void write(String function, Function<ServiceState, Change> mutation) {
    ConflictException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      ServiceState state = read(function);
      Change change = mutation.apply(state);
      if (change == null) {
        return;
      }
      List<KnativeFinding> findings = new ArrayList<>();
      Map<String, Object> manifest =
          ServiceManifest.build(
              options.namespace(),
              function,
              change.versions(),
              change.aliases(),
              options.primaryAlias(),
              findings);
      UnsupportedOnKnativeException.throwIfErrors(findings);
      try {
        kube.apply(manifest, state.resourceVersion());
        // Say only what this change adds: a canary rounded long ago is not news on every write.
        List<KnativeFinding> before = findings(state);
        findings.stream()
            .filter(f -> !before.contains(f))
            .forEach(f -> events.accept(FcEvent.warn(f.field() + ": " + f.message())));
        return;
      } catch (ConflictException e) {
        last = e;
        if (attempt < WRITE_ATTEMPTS) {
          events.accept(
              FcEvent.info(
                  "Service "
                      + function
                      + " changed since resourceVersion "
                      + state.resourceVersion()
                      + "; retrying ("
                      + (attempt + 1)
                      + "/"
                      + WRITE_ATTEMPTS
                      + ")"));
        }
      }
    }
    throw new ConflictException(
        "Service "
            + function
            + " kept changing while fc-toolkit wrote it ("
            + WRITE_ATTEMPTS
            + " attempts): "
            + last.getMessage(),
        "another writer (a pipeline, Argo CD or Flux) is changing it; stop it or retry later",
        last.expectedRevision(),
        last.actualRevision());
  }

  private List<KnativeFinding> findings(ServiceState state) {
    List<KnativeFinding> findings = new ArrayList<>();
    if (!state.versions().isEmpty()) {
      ServiceManifest.build(
          options.namespace(),
          state.function(),
          state.versions(),
          state.aliases(),
          options.primaryAlias(),
          findings);
    }
    return findings;
  }

  public static void requireExists(ServiceState state) {
    if (!state.exists()) {
      throw new NotFoundException("function", state.function(), "publish a version first");
    }
  }

  public static void requireVersion(ServiceState state, int version) {
    if (state.versions().stream().noneMatch(v -> v.number() == version)) {
      throw new NotFoundException(
          "version",
          state.function() + " v" + version,
          "the function's status lists its versions; publish the release first");
    }
  }

  /** Whether the function has an alias of this name. */
  public static boolean hasAlias(ServiceState state, String alias) {
    return state.aliases().stream().anyMatch(a -> a.name().equals(alias));
  }
}
