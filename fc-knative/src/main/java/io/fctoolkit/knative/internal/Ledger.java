package io.fctoolkit.knative.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes and decodes the versions and aliases annotations of a Service. The encoding is compact
 * JSON with sorted keys, so equal state gives equal bytes (and no spurious diff in Git).
 */
public final class Ledger {

  private Ledger() {}

  public static String writeVersions(List<VersionEntry> versions) {
    List<Object> out = new ArrayList<>();
    for (VersionEntry v : versions) {
      Map<String, Object> m = new TreeMap<>();
      m.put("v", v.number());
      m.put("image", v.image().toString());
      m.put("contentId", v.contentId());
      if (v.releaseId() != null) {
        m.put("release", v.releaseId());
      }
      if (v.created() != null) {
        m.put("created", v.created().toString());
      }
      m.put("config", writeConfig(v.config()));
      out.add(m);
    }
    return SortedJson.pretty(out);
  }

  /** Reads the versions annotation; {@code where} names the object for error messages. */
  public static List<VersionEntry> readVersions(String json, String where) {
    List<VersionEntry> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try {
      for (Object o : SortedJson.read(json, List.class)) {
        Map<?, ?> m = (Map<?, ?>) o;
        Object created = m.get("created");
        out.add(
            new VersionEntry(
                ((Number) m.get("v")).intValue(),
                ImageRef.parse((String) m.get("image")),
                (String) m.get("contentId"),
                (String) m.get("release"),
                created == null ? null : Instant.parse((String) created),
                readConfig((Map<?, ?>) m.get("config"))));
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "annotation " + Names.ANN_VERSIONS + " of " + where + " is not readable: " + e, e);
    }
    out.sort((a, b) -> Integer.compare(a.number(), b.number()));
    return out;
  }

  public static String writeAliases(List<AliasEntry> aliases) {
    List<Object> out = new ArrayList<>();
    for (AliasEntry a : aliases) {
      Map<String, Object> m = new TreeMap<>();
      m.put("name", a.name());
      m.put("target", writeTarget(a.target()));
      m.put("revision", a.revision());
      if (a.previous() != null) {
        m.put("previous", writeTarget(a.previous()));
      }
      out.add(m);
    }
    return SortedJson.pretty(out);
  }

  public static List<AliasEntry> readAliases(String json, String where) {
    List<AliasEntry> out = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return out;
    }
    try {
      for (Object o : SortedJson.read(json, List.class)) {
        Map<?, ?> m = (Map<?, ?>) o;
        Object previous = m.get("previous");
        out.add(
            new AliasEntry(
                (String) m.get("name"),
                readTarget((Map<?, ?>) m.get("target")),
                ((Number) m.get("revision")).longValue(),
                previous == null ? null : readTarget((Map<?, ?>) previous)));
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "annotation " + Names.ANN_ALIASES + " of " + where + " is not readable: " + e, e);
    }
    return out;
  }

  private static Map<String, Object> writeTarget(AliasTarget t) {
    Map<String, Object> m = new TreeMap<>();
    m.put("version", t.version());
    if (t.hasCanary()) {
      m.put("canaryVersion", t.canaryVersion());
      m.put("canaryWeight", t.canaryWeight().toPlainString());
      m.put("affinity", t.affinity().name());
    }
    return m;
  }

  private static AliasTarget readTarget(Map<?, ?> m) {
    int version = ((Number) m.get("version")).intValue();
    Object canary = m.get("canaryVersion");
    if (canary == null) {
      return AliasTarget.of(version);
    }
    return AliasTarget.canary(
        version,
        ((Number) canary).intValue(),
        new BigDecimal((String) m.get("canaryWeight")),
        Affinity.valueOf((String) m.get("affinity")));
  }

  private static Map<String, Object> writeConfig(FunctionConfig c) {
    Map<String, Object> m = new TreeMap<>();
    m.put("name", c.name());
    m.put("handler", c.handler());
    m.put("memoryMb", c.resources().memoryMb());
    m.put("concurrency", c.resources().concurrency());
    m.put("timeoutMs", c.resources().timeout().toMillis());
    m.put("minInstances", c.scaling().minInstances());
    m.put("maxInstances", c.scaling().maxInstances());
    m.put("idleTimeoutMs", c.scaling().idleTimeout().toMillis());
    m.put("standby", c.scaling().standby());
    m.put("env", new TreeMap<>(c.env()));
    m.put("public", c.publicInvoke());
    m.put("idempotent", c.idempotent());
    return m;
  }

  private static FunctionConfig readConfig(Map<?, ?> m) {
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<?, ?>) m.get("env")).forEach((k, v) -> env.put((String) k, (String) v));
    return FunctionConfig.builder((String) m.get("name"), (String) m.get("handler"))
        .resources(
            new Resources(
                ((Number) m.get("memoryMb")).intValue(),
                ((Number) m.get("concurrency")).intValue(),
                Duration.ofMillis(((Number) m.get("timeoutMs")).longValue())))
        .scaling(
            new Scaling(
                ((Number) m.get("minInstances")).intValue(),
                ((Number) m.get("maxInstances")).intValue(),
                Duration.ofMillis(((Number) m.get("idleTimeoutMs")).longValue()),
                // Ledgers written before standby existed have none: the default, as then.
                m.get("standby") instanceof Number n ? n.intValue() : Scaling.DEFAULT_STANDBY))
        .env(env)
        .publicInvoke(Boolean.TRUE.equals(m.get("public")))
        .idempotent(Boolean.TRUE.equals(m.get("idempotent")))
        .build();
  }
}
