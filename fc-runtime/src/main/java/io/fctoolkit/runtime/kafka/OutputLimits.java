package io.fctoolkit.runtime.kafka;

import java.util.Map;

/**
 * The largest record, in bytes, each output topic takes: the producer's {@code max.request.size},
 * lowered to the topic's {@code max.message.bytes} where the cluster told it.
 *
 * @param maxRequestSize the producer's limit
 * @param maxMessageBytes per topic, where known
 */
record OutputLimits(int maxRequestSize, Map<String, Integer> maxMessageBytes) {
  OutputLimits {
    maxMessageBytes = Map.copyOf(maxMessageBytes);
  }

  /** The producer's limit only. */
  static OutputLimits of(int maxRequestSize) {
    return new OutputLimits(maxRequestSize, Map.of());
  }

  /** The limit for records written to {@code topic}. */
  int limit(String topic) {
    Integer topicLimit = maxMessageBytes.get(topic);
    return topicLimit == null ? maxRequestSize : Math.min(maxRequestSize, topicLimit);
  }

  /** Which setting gives the limit for {@code topic}, for error messages. */
  String source(String topic) {
    Integer topicLimit = maxMessageBytes.get(topic);
    return topicLimit != null && topicLimit < maxRequestSize
        ? "max.message.bytes of topic " + topic
        : "the producer's max.request.size";
  }
}
