package io.fctoolkit.core.gitops.internal;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSettings;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.gitops.EnvVar;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.SecretRef;
import io.fctoolkit.core.gitops.TriggerDecl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads and validates a function file ({@code kind: Function}). */
public final class FunctionFileReader {

  public static final String API_VERSION = "fc-toolkit.io/v1";

  static final List<String> ROOT_FIELDS =
      List.of(
          "apiVersion",
          "kind",
          "name",
          "handler",
          "resources",
          "scaling",
          "env",
          "public",
          "idempotent",
          "triggers");
  static final List<String> RESOURCES_FIELDS = List.of("memoryMb", "concurrency", "timeout");
  static final List<String> SCALING_FIELDS =
      List.of("minInstances", "maxInstances", "idleTimeout", "standby");
  static final List<String> ENV_FIELDS = List.of("name", "value", "valueFrom");
  static final List<String> TRIGGER_FIELDS =
      List.of(
          "name",
          "topic",
          "alias",
          "consumerGroup",
          "ordering",
          "maxInFlight",
          "batchSize",
          "startOffset",
          "retry",
          "deadLetterTopic",
          "onSuccessTopic",
          "allowDrop",
          "partitions");
  static final List<String> RETRY_FIELDS = List.of("attempts", "initialBackoff", "maxBackoff");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern TRIGGER_NAME = Pattern.compile("[a-z]([-a-z0-9]{0,40}[a-z0-9])?");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern SECRET_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");

  /**
   * Names that hold secrets: a word PASSWORD, PASSWD, PWD, TOKEN, SECRET, KEY, APIKEY or
   * CREDENTIALS between separators (so API_KEY and DB_PASSWORD match, MONKEY does not).
   */
  static final Pattern SECRET_LIKE =
      Pattern.compile(
          "(^|.*[_.-])(PASSWORD|PASSWD|PWD|TOKEN|SECRET|KEY|APIKEY|CREDENTIALS?)([_.-].*|$)",
          Pattern.CASE_INSENSITIVE);

  private FunctionFileReader() {}

  /** Reads a function file; returns empty after reporting when it cannot be read at all. */
  public static Optional<FunctionSpec> read(String text, Problems problems) {
    Optional<Node> document = YamlDocument.parse(text, problems);
    if (document.isEmpty()) {
      return Optional.empty();
    }
    int before = problems.count();
    Mapping root = Mapping.of(document.get(), "", problems, ROOT_FIELDS);
    if (!Header.check(root, "Function", problems)) {
      return Optional.empty();
    }
    String name = root.string("name", true, "add 'name: <function-name>' (e.g. grader)");
    if (name != null) {
      try {
        FunctionConfig.checkName(name);
      } catch (IllegalArgumentException e) {
        root.error("name", e.getMessage(), "use lower case letters, digits and '-'");
        name = null;
      }
    }
    String handler =
        root.string(
            "handler", true, "add 'handler: <fully qualified class>' (e.g. com.example.Grader)");
    if (handler != null) {
      try {
        FunctionConfig.builder("x", handler).build();
      } catch (IllegalArgumentException e) {
        root.error("handler", e.getMessage(), "name the class with its package");
        handler = null;
      }
    }
    Resources resources = readResources(root, problems);
    Scaling scaling = readScaling(root, problems);
    List<EnvVar> env = readEnv(root, problems);
    boolean publicInvoke = root.bool("public", false);
    boolean idempotent = root.bool("idempotent", false);
    List<TriggerDecl> triggers = readTriggers(root, name, problems);
    if (problems.count() > before || name == null || handler == null) {
      return Optional.empty();
    }
    return Optional.of(
        new FunctionSpec(
            name,
            problems.file(),
            handler,
            resources,
            scaling,
            env,
            publicInvoke,
            idempotent,
            triggers));
  }

  /** The {@code name} of a function file, if it can be read; used when the rest is invalid. */
  public static Optional<String> peekName(String text) {
    try {
      Problems ignored = new Problems("", new ArrayList<>());
      return YamlDocument.parse(text, ignored)
          .map(node -> Mapping.ofNames(node, "", ignored))
          .map(m -> m.string("name", false, null));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Resources readResources(Mapping root, Problems problems) {
    if (!root.has("resources")) {
      return Resources.DEFAULT;
    }
    Mapping m =
        Mapping.of(root.value("resources"), root.child("resources"), problems, RESOURCES_FIELDS);
    Resources d = Resources.DEFAULT;
    int memory = m.integer("memoryMb", d.memoryMb(), 64, 1_048_576);
    int concurrency = m.integer("concurrency", d.concurrency(), 1, 1000);
    Duration timeout = m.duration("timeout", d.timeout());
    if (timeout.isZero()) {
      m.error("timeout", "timeout must be positive", "write a duration such as 30s");
      timeout = d.timeout();
    }
    return new Resources(memory, concurrency, timeout);
  }

  private static Scaling readScaling(Mapping root, Problems problems) {
    if (!root.has("scaling")) {
      return Scaling.DEFAULT;
    }
    Mapping m = Mapping.of(root.value("scaling"), root.child("scaling"), problems, SCALING_FIELDS);
    Scaling d = Scaling.DEFAULT;
    int min = m.integer("minInstances", d.minInstances(), 0, 10_000);
    int max = m.integer("maxInstances", Math.max(d.maxInstances(), min), 1, 10_000);
    if (max < min) {
      m.error(
          "maxInstances",
          "maxInstances " + max + " is less than minInstances " + min,
          "raise maxInstances to at least " + min + " or lower minInstances");
      max = min;
    }
    Duration idle = m.duration("idleTimeout", d.idleTimeout());
    int standby = m.integer("standby", d.standby(), 0, Scaling.MAX_STANDBY);
    if (standby > max) {
      m.error(
          "standby",
          "standby " + standby + " is more than maxInstances " + max,
          "lower standby to at most " + max + " (0 turns it off) or raise maxInstances");
      standby = max;
    }
    return new Scaling(min, max, idle, standby);
  }

  private static List<EnvVar> readEnv(Mapping root, Problems problems) {
    List<EnvVar> env = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Node> items = root.sequence("env");
    for (int i = 0; i < items.size(); i++) {
      String path = root.child("env") + "[" + i + "]";
      Mapping m = Mapping.of(items.get(i), path, problems, ENV_FIELDS);
      String name = m.string("name", true, "add 'name: VARIABLE_NAME'");
      if (name != null && !ENV_NAME.matcher(name).matches()) {
        m.error(
            "name",
            "'" + name + "' is not a valid environment variable name",
            "use letters, digits and '_', not starting with a digit");
        name = null;
      }
      if (name != null && !seen.add(name)) {
        m.error("name", "duplicate environment variable '" + name + "'", "declare it once");
        name = null;
      }
      boolean hasValue = m.value("value") != null;
      boolean hasFrom = m.value("valueFrom") != null;
      if (hasValue == hasFrom) {
        problems.at(
            items.get(i),
            path,
            hasValue ? "both value and valueFrom are set" : "needs a value or valueFrom.secretRef",
            "keep exactly one of 'value' and 'valueFrom'");
        continue;
      }
      if (hasValue) {
        String value = literal(m);
        if (value == null) {
          continue;
        }
        if (name != null && !value.isEmpty() && SECRET_LIKE.matcher(name).matches()) {
          // Never echo the value: it may be a real credential.
          m.error(
              "value",
              "'"
                  + name
                  + "' looks like a secret but has an inline value; secrets must never be written"
                  + " in Git",
              "use 'valueFrom: {secretRef: {name: <secret>, key: <key>}}' and remove the value"
                  + " from Git history if it was real");
          continue;
        }
        if (name != null) {
          env.add(new EnvVar(name, value, null));
        }
      } else {
        SecretRef ref = readSecretRef(m, problems);
        if (name != null && ref != null) {
          env.add(new EnvVar(name, null, ref));
        }
      }
    }
    return env;
  }

  /** A literal env value: a string, or an empty value meaning the empty string. */
  private static String literal(Mapping m) {
    Node node = m.value("value");
    if (Mapping.isNull(node)) {
      return "";
    }
    return m.string("value", false, "quote the value");
  }

  private static SecretRef readSecretRef(Mapping m, Problems problems) {
    Mapping from =
        Mapping.of(m.value("valueFrom"), m.child("valueFrom"), problems, List.of("secretRef"));
    if (!from.has("secretRef")) {
      from.missing("secretRef", "write 'secretRef: {name: <secret>, key: <key>}'");
      return null;
    }
    Mapping ref =
        Mapping.of(
            from.value("secretRef"), from.child("secretRef"), problems, List.of("name", "key"));
    String name = ref.string("name", true, "add 'name: <secret name>'");
    String key = ref.string("key", true, "add 'key: <key inside the secret>'");
    if (name != null && !SECRET_NAME.matcher(name).matches()) {
      ref.error(
          "name",
          "'" + name + "' is not a valid secret name",
          "use lower case letters, digits, '-' and '.'");
      name = null;
    }
    if (key != null && !SECRET_KEY.matcher(key).matches()) {
      ref.error(
          "key", "'" + key + "' is not a valid secret key", "use letters, digits, '-', '_', '.'");
      key = null;
    }
    return name == null || key == null ? null : new SecretRef(name, key);
  }

  private static List<TriggerDecl> readTriggers(Mapping root, String function, Problems problems) {
    List<TriggerDecl> triggers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Node> items = root.sequence("triggers");
    for (int i = 0; i < items.size(); i++) {
      String path = root.child("triggers") + "[" + i + "]";
      int before = problems.count();
      Mapping m = Mapping.of(items.get(i), path, problems, TRIGGER_FIELDS);
      String name = m.string("name", true, "add 'name: <trigger-name>' (e.g. submissions)");
      if (name != null && !TRIGGER_NAME.matcher(name).matches()) {
        m.error(
            "name",
            "trigger name must be 1-42 lower case letters, digits or '-', was '" + name + "'",
            "rename it, e.g. 'submissions'");
      } else if (name != null && !names.add(name)) {
        m.error("name", "duplicate trigger '" + name + "'", "give each trigger its own name");
      }
      String topic = topic(m, "topic", true);
      String alias = m.string("alias", false, null);
      if (alias != null) {
        try {
          io.fctoolkit.core.Alias.checkName(alias);
        } catch (IllegalArgumentException e) {
          m.error("alias", e.getMessage(), "name an alias declared in the environments");
        }
      }
      String group = m.string("consumerGroup", false, null);
      if (group != null && !TOPIC.matcher(group).matches()) {
        m.error(
            "consumerGroup",
            "'" + group + "' is not a valid consumer group id",
            "use letters, digits, '.', '_' and '-', or leave it out for fc-<function>-<trigger>");
      }
      Ordering ordering = m.choice("ordering", Ordering.class, TriggerSettings.DEFAULT_ORDERING);
      int maxInFlight =
          m.integer(
              "maxInFlight",
              TriggerSettings.DEFAULT_MAX_IN_FLIGHT,
              1,
              TriggerSettings.MAX_IN_FLIGHT_LIMIT);
      int batchSize =
          m.integer(
              "batchSize", TriggerSettings.DEFAULT_BATCH_SIZE, 1, TriggerSettings.BATCH_SIZE_LIMIT);
      StartOffset start =
          m.choice("startOffset", StartOffset.class, TriggerSettings.DEFAULT_START_OFFSET);
      RetryPolicy retry = readRetry(m, problems);
      String dlq = topic(m, "deadLetterTopic", false);
      String onSuccess = topic(m, "onSuccessTopic", false);
      boolean allowDrop = m.bool("allowDrop", false);
      int partitions = m.integer("partitions", TriggerSettings.DEFAULT_PARTITIONS, 1, 10_000);
      if (m.value("deadLetterTopic") == null && !allowDrop && name != null) {
        problems.at(
            items.get(i),
            path,
            "trigger '"
                + name
                + "' has no deadLetterTopic, so records failing every attempt would"
                + " have nowhere to go",
            "add 'deadLetterTopic: "
                + (topic == null ? "<topic>" : topic)
                + "-dlq', or set"
                + " 'allowDrop: true' to accept that they are dropped");
      }
      if (dlq != null && dlq.equals(topic)) {
        m.error(
            "deadLetterTopic",
            "the dead-letter topic is the source topic; failed records would loop forever",
            "use a separate topic such as " + topic + "-dlq");
      }
      if (onSuccess != null && onSuccess.equals(topic)) {
        m.error(
            "onSuccessTopic",
            "the onSuccess topic is the source topic; every result would trigger the function"
                + " again",
            "use a separate topic");
      }
      if (problems.count() > before || name == null || topic == null) {
        continue;
      }
      // The core records are the final judges; anything they refuse that the checks above missed
      // is still reported at this trigger instead of failing later.
      try {
        TriggerDecl decl =
            new TriggerDecl(
                name,
                new TriggerSettings(
                    topic,
                    group,
                    ordering,
                    maxInFlight,
                    batchSize,
                    start,
                    retry,
                    dlq,
                    onSuccess,
                    allowDrop,
                    partitions),
                alias);
        TriggerSpec unused =
            decl.toSpec(function == null ? "f" : function, alias == null ? "a" : alias, null);
        triggers.add(decl);
      } catch (IllegalArgumentException e) {
        problems.at(items.get(i), path, e.getMessage(), null);
      }
    }
    return triggers;
  }

  private static RetryPolicy readRetry(Mapping trigger, Problems problems) {
    if (!trigger.has("retry")) {
      return RetryPolicy.DEFAULT;
    }
    Mapping m = Mapping.of(trigger.value("retry"), trigger.child("retry"), problems, RETRY_FIELDS);
    RetryPolicy d = RetryPolicy.DEFAULT;
    int attempts = m.integer("attempts", d.attempts(), 1, 100);
    Duration initial = m.duration("initialBackoff", d.initialBackoff());
    Duration max =
        m.duration("maxBackoff", d.maxBackoff().compareTo(initial) < 0 ? initial : d.maxBackoff());
    if (max.compareTo(initial) < 0) {
      m.error(
          "maxBackoff",
          "maxBackoff is shorter than initialBackoff",
          "make maxBackoff at least as long as initialBackoff");
      max = initial;
    }
    return new RetryPolicy(attempts, initial, max);
  }

  private static String topic(Mapping m, String key, boolean required) {
    String topic = m.string(key, required, "add '" + key + ": <kafka topic>'");
    if (topic != null
        && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
      m.error(
          key,
          "'" + topic + "' is not a Kafka topic name",
          "use letters, digits, '.', '_' and '-' (at most 249)");
      return null;
    }
    return topic;
  }
}
