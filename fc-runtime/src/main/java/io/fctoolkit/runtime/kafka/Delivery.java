package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.TriggerSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One record on its way to the function and then to its outcome. The attempt fields are written by
 * whichever thread completes an attempt and read by the consumer thread after the delivery is
 * handed back; {@link #form} is the committer's.
 */
final class Delivery {

  /** How the record's outcome is written. */
  enum Form {
    /** The result, or the dead letter, as it is. */
    AS_IS,
    /** A dead letter with the payload cut, because the outcome as it is did not fit. */
    CUT,
    /** Nothing could be written: the offset is recorded and the partition moves on. */
    PARKED
  }

  final ConsumerRecord<byte[], byte[]> record;
  final PartitionQueue queue;
  final InvokeRequest request;
  final String key;
  private final TriggerSpec spec;
  volatile int attempt;
  volatile boolean success;
  volatile InvokeResponse response;
  volatile int status;
  volatile int version;
  volatile String error = "";

  private volatile Form form = Form.AS_IS;
  private volatile String formReason;

  Delivery(
      ConsumerRecord<byte[], byte[]> record,
      PartitionQueue queue,
      InvokeRequest request,
      TriggerSpec spec) {
    this.record = record;
    this.queue = queue;
    this.request = request;
    this.key = request.routingKey();
    this.spec = spec;
  }

  DispatchEvent event(int attemptNumber) {
    return new DispatchEvent(
        spec.function(),
        spec.name(),
        record.topic(),
        record.partition(),
        record.offset(),
        key,
        attemptNumber);
  }

  Form form() {
    return form;
  }

  /** Why the outcome is not written as it is, or null. */
  String formReason() {
    return formReason;
  }

  /** The outcome as it is cannot be written: cut it, or park the record if it was cut already. */
  void downgrade(String reason) {
    formReason = reason;
    form = form == Form.AS_IS ? Form.CUT : Form.PARKED;
  }

  /** Nothing can be written for this record. */
  void park(String reason) {
    formReason = reason;
    form = Form.PARKED;
  }
}
