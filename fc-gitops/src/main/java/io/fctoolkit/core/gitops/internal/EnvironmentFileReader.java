package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.gitops.AliasSpec;
import io.fctoolkit.core.gitops.DriftPolicy;
import io.fctoolkit.core.gitops.EnvironmentFunction;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FailedRolloutPolicy;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.PlatformBinding;
import io.fctoolkit.core.gitops.TriggerBinding;
import io.fctoolkit.core.gitops.TriggerDecl;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads and validates an environment file, cross-checked against the function files. */
public final class EnvironmentFileReader {

  static final List<String> ROOT_FIELDS =
      List.of(
          "apiVersion",
          "kind",
          "name",
          "platform",
          "bootstrapServers",
          "driftPolicy",
          "onFailedRollout",
          "functions");
  static final List<String> LOCAL_FIELDS =
      List.of("type", "stateDir", "runtimeUrl", "insecureRegistry");
  static final List<String> KNATIVE_FIELDS = List.of("type", "context", "namespace");
  static final List<String> FUNCTION_FIELDS = List.of("releases", "aliases", "triggers");
  static final List<String> RELEASE_FIELDS = List.of("id", "image");
  static final List<String> ALIAS_FIELDS =
      List.of("name", "release", "canaryRelease", "weight", "affinity", "rollout");
  static final List<String> BINDING_FIELDS = List.of("name", "alias", "enabled", "ordering");

  private static final Pattern ENV_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,30}[a-z0-9])?");
  private static final Pattern RELEASE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern BOOTSTRAP =
      Pattern.compile("[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}(,[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5})*");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private EnvironmentFileReader() {}

  /**
   * Reads the environment file of directory {@code dirName}.
   *
   * @param functions the valid function files, by name
   * @param functionFiles names of all function files, including invalid ones (so an invalid
   *     function file does not also make every environment report it as missing)
   */
  public static Optional<EnvironmentSpec> read(
      String text,
      String dirName,
      Map<String, FunctionSpec> functions,
      Set<String> functionFiles,
      Problems problems) {
    Optional<Node> document = YamlDocument.parse(text, problems);
    if (document.isEmpty()) {
      return Optional.empty();
    }
    int before = problems.count();
    Mapping root = Mapping.of(document.get(), "", problems, ROOT_FIELDS);
    if (!Header.check(root, "Environment", problems)) {
      return Optional.empty();
    }
    String name = root.string("name", true, "add 'name: " + dirName + "'");
    if (name != null && !name.equals(dirName)) {
      root.error(
          "name",
          "environment name '" + name + "' does not match its directory '" + dirName + "'",
          "rename it to '" + dirName + "' or move the file to environments/" + name + "/");
    }
    if (!ENV_NAME.matcher(dirName).matches()) {
      problems.file(
          "environment directory '" + dirName + "' is not a valid environment name",
          "use 1-32 lower case letters, digits or '-', starting with a letter");
    }
    PlatformBinding platform = readPlatform(root, problems);
    String bootstrap = root.string("bootstrapServers", false, null);
    if (bootstrap != null && !BOOTSTRAP.matcher(bootstrap).matches()) {
      root.error(
          "bootstrapServers",
          "'" + bootstrap + "' is not a list of host:port",
          "write e.g. 'kafka-0.kafka:9092,kafka-1.kafka:9092', or leave it out for the embedded"
              + " broker (local only)");
    }
    if (bootstrap == null && platform instanceof PlatformBinding.Knative) {
      problems.at(
          root.node(),
          "bootstrapServers",
          "a knative environment needs bootstrapServers: there is no embedded broker on a cluster",
          "add 'bootstrapServers: <host:port>' naming the cluster's Kafka");
    }
    DriftPolicy drift = root.choice("driftPolicy", DriftPolicy.class, DriftPolicy.FAIL);
    FailedRolloutPolicy onFailedRollout = readOnFailedRollout(root);
    boolean allowsTags = platform instanceof PlatformBinding.Local;
    List<EnvironmentFunction> envFunctions = new ArrayList<>();
    if (!root.has("functions")) {
      root.missing(
          "functions", "add 'functions:' with at least one function's releases and aliases");
    } else {
      Mapping byName = Mapping.ofNames(root.value("functions"), "functions", problems);
      for (String functionName : byName.keys()) {
        Node functionNode = byName.value(functionName);
        String path = byName.child(functionName);
        if (!functionFiles.contains(functionName)) {
          problems.at(
              byName.keyNode(functionName),
              path,
              "no function file declares function '"
                  + functionName
                  + "'"
                  + Suggest.didYouMean(functionName, functionFiles),
              "add functions/" + functionName + ".yaml or fix the name");
          continue;
        }
        EnvironmentFunction read =
            readFunction(
                functionName,
                functionNode,
                path,
                functions.get(functionName),
                allowsTags,
                platform,
                problems);
        if (read != null) {
          envFunctions.add(read);
        }
      }
    }
    if (problems.count() > before || name == null || platform == null) {
      return Optional.empty();
    }
    return Optional.of(
        new EnvironmentSpec(
            name, problems.file(), platform, bootstrap, drift, envFunctions, onFailedRollout));
  }

  /**
   * {@code report} (default) or {@code revert-branch}; written with a dash, so not an enum name.
   */
  private static FailedRolloutPolicy readOnFailedRollout(Mapping root) {
    String value = root.string("onFailedRollout", false, "write report or revert-branch");
    if (value == null) {
      return FailedRolloutPolicy.REPORT;
    }
    List<String> names = new ArrayList<>();
    for (FailedRolloutPolicy policy : FailedRolloutPolicy.values()) {
      if (policy.yamlName().equals(value)) {
        return policy;
      }
      names.add(policy.yamlName());
    }
    root.error(
        "onFailedRollout",
        "unknown onFailedRollout '" + value + "'" + Suggest.didYouMean(value, names),
        "use one of " + String.join(", ", names));
    return FailedRolloutPolicy.REPORT;
  }

  private static PlatformBinding readPlatform(Mapping root, Problems problems) {
    if (!root.has("platform")) {
      root.missing(
          "platform",
          "add 'platform: {type: local}' or 'platform: {type: knative, namespace: <ns>}'");
      return null;
    }
    Node node = root.value("platform");
    if (!(node instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
      problems.at(
          node,
          "platform",
          "expected a mapping (fields), got " + Mapping.describe(node),
          "write 'platform:' with 'type: local' or 'type: knative' indented below it");
      return null;
    }
    Mapping peek =
        Mapping.ofNames(node, "platform", new Problems(problems.file(), new ArrayList<>()));
    String type = peek.has("type") ? peek.string("type", false, null) : null;
    if ("knative".equals(type)) {
      Mapping m = Mapping.of(node, "platform", problems, KNATIVE_FIELDS);
      String context = m.string("context", false, null);
      String namespace = m.string("namespace", true, "add 'namespace: <kubernetes namespace>'");
      if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
        m.error(
            "namespace",
            "'" + namespace + "' is not a Kubernetes namespace name",
            "use lower case letters, digits and '-'");
        return null;
      }
      return namespace == null ? null : new PlatformBinding.Knative(context, namespace);
    }
    if ("local".equals(type)) {
      Mapping m = Mapping.of(node, "platform", problems, LOCAL_FIELDS);
      String stateDir = m.string("stateDir", false, null);
      String url = m.string("runtimeUrl", false, null);
      if (url != null) {
        try {
          URI uri = new URI(url);
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
              || uri.getHost() == null) {
            throw new URISyntaxException(url, "not http(s)");
          }
          if (uri.getUserInfo() != null) {
            m.error(
                "runtimeUrl",
                "the runtime URL must not carry credentials",
                "the local runtime's token is read from its state dir");
            return null;
          }
        } catch (URISyntaxException e) {
          m.error(
              "runtimeUrl",
              "'" + url + "' is not an http(s) URL",
              "write e.g. http://127.0.0.1:8765");
          return null;
        }
      }
      boolean insecure = m.bool("insecureRegistry", false);
      return new PlatformBinding.Local(stateDir, url, insecure);
    }
    Mapping m =
        Mapping.of(
            node,
            "platform",
            problems,
            List.of("type", "stateDir", "runtimeUrl", "insecureRegistry", "context", "namespace"));
    String written = m.string("type", true, "add 'type: local' or 'type: knative'");
    if (written != null) {
      m.error(
          "type",
          "unknown platform type '"
              + written
              + "'"
              + Suggest.didYouMean(written, List.of("local", "knative")),
          "use 'local' or 'knative'");
    }
    return null;
  }

  private static EnvironmentFunction readFunction(
      String functionName,
      Node node,
      String path,
      FunctionSpec function,
      boolean allowsTags,
      PlatformBinding platform,
      Problems problems) {
    Mapping m = Mapping.of(node, path, problems, FUNCTION_FIELDS);
    // Names written, valid or not: a reference to an invalid declaration is not reported twice.
    Set<String> releaseIds = new LinkedHashSet<>();
    List<Release> releases = readReleases(m, allowsTags, platform, releaseIds, problems);
    Set<String> aliasNames = new LinkedHashSet<>();
    List<AliasSpec> aliases = readAliases(m, releaseIds, aliasNames, problems);
    Set<String> mentioned = new LinkedHashSet<>();
    List<TriggerBinding> bindings = readBindings(m, function, aliasNames, mentioned, problems);
    if (function != null) {
      // Every trigger of the function must end up bound to an alias declared here.
      for (TriggerDecl trigger : function.triggers()) {
        Optional<TriggerBinding> binding =
            bindings.stream().filter(b -> b.name().equals(trigger.name())).findFirst();
        if (binding.isPresent() && (!binding.get().enabled() || binding.get().alias() != null)) {
          continue;
        }
        if (binding.isEmpty() && mentioned.contains(trigger.name())) {
          continue; // its binding is invalid and already reported
        }
        if (trigger.alias() == null) {
          problems.at(
              node,
              path,
              "trigger '"
                  + trigger.name()
                  + "' of function '"
                  + functionName
                  + "' is not bound to an alias in this environment",
              "add 'triggers: [{name: "
                  + trigger.name()
                  + ", alias: <alias>}]' here, or"
                  + " 'enabled: false' to leave it out");
        } else if (!aliasNames.contains(trigger.alias())) {
          problems.at(
              node,
              path,
              "trigger '"
                  + trigger.name()
                  + "' invokes alias '"
                  + trigger.alias()
                  + "' (the function file's default), which this environment does not declare",
              "declare alias '"
                  + trigger.alias()
                  + "' here, or bind the trigger to one that"
                  + " exists: 'triggers: [{name: "
                  + trigger.name()
                  + ", alias: <alias>}]'");
        }
      }
    }
    return new EnvironmentFunction(functionName, releases, aliases, bindings);
  }

  private static List<Release> readReleases(
      Mapping m, boolean allowsTags, PlatformBinding platform, Set<String> ids, Problems problems) {
    List<Release> releases = new ArrayList<>();
    Map<String, String> seenDigests = new HashMap<>();
    Set<String> seenIds = new LinkedHashSet<>();
    List<Node> items = m.sequence("releases");
    for (int i = 0; i < items.size(); i++) {
      String path = m.child("releases") + "[" + i + "]";
      Mapping r = Mapping.of(items.get(i), path, problems, RELEASE_FIELDS);
      if (r.value("id") instanceof org.snakeyaml.engine.v2.nodes.ScalarNode raw) {
        // Mistyped or not, the id is "declared": aliases naming it are not reported again.
        ids.add(raw.getValue());
      }
      String id = r.string("id", true, "add 'id: <release id>' such as 2026-11-22.1");
      if (id != null && !RELEASE_ID.matcher(id).matches()) {
        r.error(
            "id",
            "release id must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or"
                + " digit, was '"
                + id
                + "'",
            "use e.g. 2026-11-22.1");
        id = null;
      }
      if (id != null && !seenIds.add(id)) {
        r.error(
            "id", "duplicate release '" + id + "'", "release ids must be unique in an environment");
        id = null;
      }
      String image = r.string("image", true, "add 'image: <repository>@sha256:<digest>'");
      ImageRef ref = null;
      if (image != null) {
        try {
          ref = ImageRef.parse(image);
        } catch (IllegalArgumentException e) {
          r.error("image", e.getMessage(), "write <repository>@sha256:<64 hex digits>");
        }
      }
      if (ref != null && !ref.isPinned() && !allowsTags) {
        r.error(
            "image",
            "image '"
                + image
                + "' is named by tag; environment platform '"
                + (platform == null ? "?" : platform.type())
                + "' only accepts images pinned by digest (a tag can move under a release)",
            "write "
                + ref.repository()
                + "@sha256:<digest> (a deploy prints the digest), or"
                + " promote the release from dev where it was recorded by digest");
        ref = null;
      }
      if (ref != null && ref.isPinned() && id != null) {
        String other = seenDigests.putIfAbsent(ref.digest(), id);
        if (other != null) {
          r.error(
              "image",
              "release '" + id + "' has the same image digest as release '" + other + "'",
              "one image is one release: reuse '" + other + "' instead of declaring it twice");
          ref = null;
        }
      }
      if (id != null && ref != null) {
        releases.add(new Release(id, ref));
      }
    }
    return releases;
  }

  private static List<AliasSpec> readAliases(
      Mapping m, Set<String> releaseIds, Set<String> names, Problems problems) {
    List<AliasSpec> aliases = new ArrayList<>();
    List<Node> items = m.sequence("aliases");
    for (int i = 0; i < items.size(); i++) {
      String path = m.child("aliases") + "[" + i + "]";
      int before = problems.count();
      Mapping a = Mapping.of(items.get(i), path, problems, ALIAS_FIELDS);
      String name = a.string("name", true, "add 'name: <alias>' such as prod");
      if (name != null) {
        // Even an invalid name counts as declared, so bindings to it are not reported again.
        if (!names.add(name)) {
          a.error("name", "duplicate alias '" + name + "'", "declare each alias once");
        }
        try {
          Alias.checkName(name);
        } catch (IllegalArgumentException e) {
          a.error("name", e.getMessage(), "use e.g. 'prod' or 'dev'");
        }
      }
      String release = releaseRef(a, "release", true, releaseIds);
      String canary = releaseRef(a, "canaryRelease", false, releaseIds);
      BigDecimal weight = a.decimal("weight", "write a percentage from 0 to 100, e.g. 10 or 2.5");
      if (weight != null
          && (weight.signum() < 0 || weight.compareTo(BigDecimal.valueOf(100)) > 0)) {
        a.error(
            "weight",
            // toString, not toPlainString: 1e999999999 would be written out with a billion zeros.
            "weight " + weight + " is out of range",
            "use a percentage from 0 to 100 (decimals allowed, e.g. 2.5)");
        weight = null;
      }
      Affinity affinity = a.choice("affinity", Affinity.class, Affinity.NONE);
      boolean writesCanary = a.value("canaryRelease") != null;
      boolean writesWeight = a.value("weight") != null;
      if (writesCanary && !writesWeight) {
        problems.at(
            items.get(i),
            path,
            "canaryRelease is set without a weight",
            "add 'weight: <percent>' for the canary, e.g. weight: 10");
      }
      if (writesWeight && !writesCanary) {
        a.error(
            "weight",
            "weight is set without a canaryRelease",
            "add 'canaryRelease: <release id>', or remove the weight to send all traffic to"
                + " 'release'");
      }
      if (a.value("affinity") != null && !writesCanary) {
        a.error(
            "affinity",
            "affinity only applies to a canary split, and there is no canaryRelease",
            "remove 'affinity', or add a canaryRelease and a weight");
      }
      RolloutStrategy rollout =
          a.value("rollout") == null
              ? null
              : RolloutReader.read(a.value("rollout"), a.child("rollout"), problems);
      if (a.value("rollout") != null && writesCanary) {
        a.error(
            "rollout",
            "a rollout moves the canary itself, and this alias names a canaryRelease too",
            "remove 'canaryRelease' and 'weight' (the rollout's steps set the weight), or remove"
                + " 'rollout' to hold the canary at a fixed weight");
      }
      if (canary != null && canary.equals(release)) {
        a.error(
            "canaryRelease",
            "the canary release is the same as the primary release '" + release + "'",
            "remove the canary to send all traffic to it, or name the new release");
      }
      if (problems.count() > before || name == null || release == null) {
        continue;
      }
      aliases.add(
          new AliasSpec(
              name, release, canary, weight == null ? BigDecimal.ZERO : weight, affinity, rollout));
    }
    return aliases;
  }

  private static String releaseRef(
      Mapping a, String key, boolean required, Set<String> releaseIds) {
    String id =
        a.string(
            key, required, "add '" + key + ": <release id>' naming a release of this function");
    if (id != null && !releaseIds.contains(id)) {
      a.error(
          key,
          "release '"
              + id
              + "' is not declared in this environment's releases"
              + Suggest.didYouMean(id, releaseIds),
          releaseIds.isEmpty()
              ? "add it under 'releases:' first"
              : "use one of " + String.join(", ", releaseIds) + ", or add it under 'releases:'");
      return null;
    }
    return id;
  }

  private static List<TriggerBinding> readBindings(
      Mapping m,
      FunctionSpec function,
      Set<String> aliasNames,
      Set<String> mentioned,
      Problems problems) {
    List<TriggerBinding> bindings = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    List<Node> items = m.sequence("triggers");
    List<String> declared =
        function == null ? List.of() : function.triggers().stream().map(TriggerDecl::name).toList();
    for (int i = 0; i < items.size(); i++) {
      String path = m.child("triggers") + "[" + i + "]";
      int before = problems.count();
      Mapping b = Mapping.of(items.get(i), path, problems, BINDING_FIELDS);
      String name = b.string("name", true, "add 'name: <trigger name from the function file>'");
      if (name != null) {
        mentioned.add(name);
      }
      if (name != null && !names.add(name)) {
        b.error("name", "duplicate trigger binding '" + name + "'", "bind each trigger once");
      } else if (name != null && function != null && !declared.contains(name)) {
        b.error(
            "name",
            "function '"
                + function.name()
                + "' declares no trigger '"
                + name
                + "'"
                + Suggest.didYouMean(name, declared),
            declared.isEmpty()
                ? "declare it under 'triggers:' in " + function.file()
                : "use one of " + String.join(", ", declared));
      }
      String alias = b.string("alias", false, null);
      if (alias != null && !aliasNames.contains(alias)) {
        b.error(
            "alias",
            "alias '"
                + alias
                + "' is not declared in this environment"
                + Suggest.didYouMean(alias, aliasNames),
            aliasNames.isEmpty()
                ? "declare it under 'aliases:' first"
                : "use one of " + String.join(", ", aliasNames));
      }
      boolean enabled = b.bool("enabled", true);
      io.fctoolkit.core.Ordering ordering =
          b.choice("ordering", io.fctoolkit.core.Ordering.class, null);
      if (problems.count() > before || name == null) {
        continue;
      }
      bindings.add(new TriggerBinding(name, alias, enabled, ordering));
    }
    return bindings;
  }
}
