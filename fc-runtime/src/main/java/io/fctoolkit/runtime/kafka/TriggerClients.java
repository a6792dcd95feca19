package io.fctoolkit.runtime.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the Kafka clients of one trigger: the seam that lets unit tests run the dispatcher on
 * Kafka's {@code MockConsumer} and {@code MockProducer} and a fake admin instead of a broker. Each
 * session asks for a new consumer and producer; the admin lives as long as the dispatcher.
 */
interface TriggerClients {

  /** A new consumer, not yet subscribed. */
  Consumer<byte[], byte[]> consumer();

  /** A new transactional producer, not yet initialised; asked for only when the trigger writes. */
  Producer<byte[], byte[]> producer();

  /** The admin client for topic checks. */
  TriggerAdmin admin();

  /** The largest record the producer sends ({@code max.request.size}), in bytes. */
  int maxRequestSize();

  /** Real clients for the cluster the properties name. */
  static TriggerClients kafka(TriggerClientProperties properties) {
    return new TriggerClients() {
      @Override
      public Consumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(properties.consumer());
      }

      @Override
      public Producer<byte[], byte[]> producer() {
        return new KafkaProducer<>(properties.producer());
      }

      @Override
      public TriggerAdmin admin() {
        return TriggerAdmin.kafka(properties.admin(), properties.bootstrapServers());
      }

      @Override
      public int maxRequestSize() {
        return properties.maxRequestSize();
      }
    };
  }
}
