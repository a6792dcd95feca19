package io.fctoolkit.knative.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What fc-toolkit reads back from a function's Service: its versions and aliases ledgers and the
 * resourceVersion that guards the next write.
 */
public record ServiceState(
    String function,
    boolean exists,
    String resourceVersion,
    Instant created,
    List<VersionEntry> versions,
    List<AliasEntry> aliases) {

  public ServiceState {
    versions = List.copyOf(versions);
    aliases = List.copyOf(aliases);
  }

  public static ServiceState absent(String function) {
    return new ServiceState(function, false, null, Instant.EPOCH, List.of(), List.of());
  }

  public static ServiceState of(GenericKubernetesResource service) {
    ObjectMeta meta = service.getMetadata();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    String where = "Service " + meta.getName();
    Instant created = Instant.EPOCH;
    if (meta.getCreationTimestamp() != null) {
      try {
        created = Instant.parse(meta.getCreationTimestamp());
      } catch (RuntimeException e) {
        created = Instant.EPOCH;
      }
    }
    return new ServiceState(
        meta.getName(),
        true,
        meta.getResourceVersion(),
        created,
        Ledger.readVersions(annotations.get(Names.ANN_VERSIONS), where),
        Ledger.readAliases(annotations.get(Names.ANN_ALIASES), where));
  }

  public int nextVersion() {
    return versions.stream().mapToInt(VersionEntry::number).max().orElse(0) + 1;
  }

  public int templateVersion() {
    return versions.stream().mapToInt(VersionEntry::number).max().orElse(0);
  }
}
