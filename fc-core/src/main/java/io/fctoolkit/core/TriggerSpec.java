package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Kafka trigger: records of a topic become invocations of a function's alias.
 *
 * <p>The consumer group is stable across version and alias changes, so offsets are never lost or
 * re-read when code changes. Changing {@link #consumerGroup()} or {@link #topic()} resets where the
 * trigger reads, and plans flag it.
 *
 * <p>The settings themselves (topic, ordering, retries, ...) live in {@link TriggerSettings}; the
 * accessors below read through to them so callers need not care where a setting is kept.
 *
 * @param name the trigger's name, unique per function
 * @param function the function it invokes
 * @param alias the alias it invokes
 * @param settings how it reads and delivers; its consumer group is never null here (the stable
 *     {@link #defaultGroup(String, String)} when not given)
 * @param bootstrapServers the Kafka cluster, or null for the environment's (embedded) broker
 */
public record TriggerSpec(
    String name, String function, String alias, TriggerSettings settings, String bootstrapServers) {

  private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,40}[a-z0-9])?");

  public TriggerSpec {
    requireNonNull(name, "name");
    requireNonNull(function, "function");
    requireNonNull(alias, "alias");
    requireNonNull(settings, "settings");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "trigger name must be 1-42 lower case letters, digits or '-', was '" + name + "'");
    }
    FunctionConfig.checkName(function);
    Alias.checkName(alias);
    if (settings.consumerGroup() == null) {
      settings = settings.withConsumerGroup(defaultGroup(function, name));
    }
    if (settings.deadLetterTopic() == null && !settings.allowDrop()) {
      // The default never drops: without a dead-letter topic the last failure has nowhere to go.
      throw new IllegalArgumentException(
          "trigger '"
              + name
              + "' has no deadLetterTopic; set one, or set allowDrop: true to accept that records"
              + " failing every attempt are dropped");
    }
  }

  public String topic() {
    return settings.topic();
  }

  /** The consumer group id: the one given, or {@code fc-<function>-<trigger>}. */
  public String consumerGroup() {
    return settings.consumerGroup();
  }

  public Ordering ordering() {
    return settings.ordering();
  }

  public int maxInFlight() {
    return settings.maxInFlight();
  }

  public int batchSize() {
    return settings.batchSize();
  }

  public StartOffset startOffset() {
    return settings.startOffset();
  }

  public RetryPolicy retry() {
    return settings.retry();
  }

  public String deadLetterTopic() {
    return settings.deadLetterTopic();
  }

  public String onSuccessTopic() {
    return settings.onSuccessTopic();
  }

  public boolean allowDrop() {
    return settings.allowDrop();
  }

  public int partitions() {
    return settings.partitions();
  }

  /**
   * Every field by name, settings flattened, in declaration order: what plans compare and show
   * field by field, and the shape of a trigger on the control API.
   */
  public Map<String, Object> fields() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("function", function);
    out.put("alias", alias);
    for (RecordComponent c : TriggerSettings.class.getRecordComponents()) {
      try {
        out.put(c.getName(), c.getAccessor().invoke(settings));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read TriggerSettings." + c.getName(), e);
      }
    }
    out.put("bootstrapServers", bootstrapServers);
    return out;
  }

  /** The stable consumer group of a trigger: {@code fc-<function>-<trigger>}. */
  public static String defaultGroup(String function, String trigger) {
    return "fc-" + function + "-" + trigger;
  }

  public static Builder builder(String name, String function, String alias, String topic) {
    return new Builder(name, function, alias, topic);
  }

  public Builder toBuilder() {
    return new Builder(name, function, alias, settings.topic())
        .consumerGroup(settings.consumerGroup())
        .ordering(settings.ordering())
        .maxInFlight(settings.maxInFlight())
        .batchSize(settings.batchSize())
        .startOffset(settings.startOffset())
        .retry(settings.retry())
        .deadLetterTopic(settings.deadLetterTopic())
        .onSuccessTopic(settings.onSuccessTopic())
        .allowDrop(settings.allowDrop())
        .bootstrapServers(bootstrapServers)
        .partitions(settings.partitions());
  }

  /** Builds a {@link TriggerSpec} with defaults for the optional fields. */
  public static final class Builder {
    private final String name;
    private final String function;
    private final String alias;
    private final String topic;
    private String consumerGroup;
    private Ordering ordering = TriggerSettings.DEFAULT_ORDERING;
    private int maxInFlight = TriggerSettings.DEFAULT_MAX_IN_FLIGHT;
    private int batchSize = TriggerSettings.DEFAULT_BATCH_SIZE;
    private StartOffset startOffset = TriggerSettings.DEFAULT_START_OFFSET;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private String deadLetterTopic;
    private String onSuccessTopic;
    private boolean allowDrop;
    private String bootstrapServers;
    private int partitions = TriggerSettings.DEFAULT_PARTITIONS;

    private Builder(String name, String function, String alias, String topic) {
      this.name = name;
      this.function = function;
      this.alias = alias;
      this.topic = topic;
    }

    public Builder consumerGroup(String consumerGroup) {
      this.consumerGroup = consumerGroup;
      return this;
    }

    public Builder ordering(Ordering ordering) {
      this.ordering = ordering;
      return this;
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder startOffset(StartOffset startOffset) {
      this.startOffset = startOffset;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    public Builder deadLetterTopic(String deadLetterTopic) {
      this.deadLetterTopic = deadLetterTopic;
      return this;
    }

    public Builder onSuccessTopic(String onSuccessTopic) {
      this.onSuccessTopic = onSuccessTopic;
      return this;
    }

    public Builder allowDrop(boolean allowDrop) {
      this.allowDrop = allowDrop;
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public TriggerSpec build() {
      return new TriggerSpec(
          name,
          function,
          alias,
          new TriggerSettings(
              topic,
              consumerGroup,
              ordering,
              maxInFlight,
              batchSize,
              startOffset,
              retry,
              deadLetterTopic,
              onSuccessTopic,
              allowDrop,
              partitions),
          bootstrapServers);
    }
  }
}
