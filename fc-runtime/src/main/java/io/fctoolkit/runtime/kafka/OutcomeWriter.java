package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_ATTEMPTS;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_CUT;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_ERROR;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_OFFSET;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_ORIGINAL_SHA256;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_ORIGINAL_SIZE;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_PARTITION;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_STATUS;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_TOPIC;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_TRIGGER;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_VALUE_KEPT;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_VALUE_SIZE;
import static io.fctoolkit.runtime.kafka.KafkaTriggerDispatcher.H_VERSION;
import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Builds the record that carries one delivery's outcome: its result for the {@code onSuccess}
 * topic, or its dead letter. A record that would not fit its topic (larger than {@link
 * OutputLimits}) is never sent as it is: the outcome becomes a dead letter in the cut form (the
 * first bytes of the record's value, with headers giving the size and SHA-256 digest of what did
 * not fit, where the record is and why), and a record with no form that fits anywhere is parked.
 */
final class OutcomeWriter {

  /** The most of a record's value a cut dead letter carries: enough to recognise it. */
  static final int CUT_BYTES = 64 * 1024;

  /** Room kept for the cut form's own headers and the batch overhead. */
  private static final int HEADROOM = 8 * 1024;

  private final TriggerSpec spec;
  private final OutputLimits limits;

  OutcomeWriter(TriggerSpec spec, OutputLimits limits) {
    this.spec = requireNonNull(spec, "spec");
    this.limits = requireNonNull(limits, "limits");
  }

  /**
   * The record to write for {@code d} in its current form, or null when there is nothing to write
   * (no output topic for this outcome, an empty result, or a parked record). Moves {@code d} to the
   * cut form, or parks it, when its record would not fit.
   */
  ProducerRecord<byte[], byte[]> record(Delivery d) {
    if (d.form() == Delivery.Form.AS_IS) {
      ProducerRecord<byte[], byte[]> r = asIs(d);
      if (r == null || fits(r)) {
        return r;
      }
      d.downgrade(tooLarge(d, r));
    }
    if (d.form() == Delivery.Form.CUT) {
      if (spec.deadLetterTopic() == null) {
        d.park(d.formReason() + "; the trigger has no deadLetterTopic to take a cut form");
        return null;
      }
      ProducerRecord<byte[], byte[]> r = cut(d, true);
      if (!fits(r)) {
        r = cut(d, false);
      }
      if (fits(r)) {
        return r;
      }
      d.park(
          d.formReason()
              + "; even the cut form ("
              + estimate(r)
              + " bytes) does not fit "
              + r.topic());
    }
    return null;
  }

  private ProducerRecord<byte[], byte[]> asIs(Delivery d) {
    ConsumerRecord<byte[], byte[]> r = d.record;
    if (d.success) {
      // An empty 2xx answer means "no reply", as on Knative (fc-host sends no result there
      // either): nothing is written, yet the record counts as delivered and its offset commits.
      byte[] body = d.response.body();
      if (spec.onSuccessTopic() == null || body == null || body.length == 0) {
        return null;
      }
      RecordHeaders headers = new RecordHeaders();
      addSource(headers, d);
      String contentType = d.response.headers().get("content-type");
      if (contentType != null) {
        headers.add("content-type", utf8(contentType));
      }
      return new ProducerRecord<>(spec.onSuccessTopic(), null, r.key(), body, headers);
    }
    if (spec.deadLetterTopic() == null) {
      return null;
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      headers.add(h);
    }
    addFailure(headers, d, d.error);
    addSource(headers, d);
    return new ProducerRecord<>(spec.deadLetterTopic(), null, r.key(), r.value(), headers);
  }

  /**
   * The cut form: a dead letter with the first bytes of the record's value and none of its own
   * headers (they may be what made it too large), saying what did not fit and why.
   */
  private ProducerRecord<byte[], byte[]> cut(Delivery d, boolean withKey) {
    ConsumerRecord<byte[], byte[]> r = d.record;
    String topic = spec.deadLetterTopic();
    byte[] value = r.value() == null ? new byte[0] : r.value();
    int room = Math.max(0, limits.limit(topic) - HEADROOM - (withKey ? length(r.key()) : 0));
    byte[] kept = Arrays.copyOf(value, Math.min(value.length, Math.min(CUT_BYTES, room)));
    byte[] original = d.success ? d.response.body() : value;
    RecordHeaders headers = new RecordHeaders();
    addFailure(headers, d, d.success ? d.formReason() : d.error + "; " + d.formReason());
    addSource(headers, d);
    headers.add(H_CUT, utf8(d.success ? "result" : "dead-letter"));
    headers.add(H_ORIGINAL_SIZE, utf8(Integer.toString(original.length)));
    headers.add(H_ORIGINAL_SHA256, utf8(sha256(original)));
    headers.add(H_VALUE_SIZE, utf8(Integer.toString(value.length)));
    headers.add(H_VALUE_KEPT, utf8(Integer.toString(kept.length)));
    return new ProducerRecord<>(topic, null, withKey ? r.key() : null, kept, headers);
  }

  private String tooLarge(Delivery d, ProducerRecord<byte[], byte[]> r) {
    return (d.success ? "result" : "dead letter")
        + " of "
        + estimate(r)
        + " bytes is larger than "
        + limits.limit(r.topic())
        + " bytes, the most "
        + r.topic()
        + " takes ("
        + limits.source(r.topic())
        + ")";
  }

  private void addFailure(RecordHeaders headers, Delivery d, String reason) {
    headers.add(H_ERROR, utf8(reason == null ? "" : reason));
    headers.add(H_STATUS, utf8(Integer.toString(d.status)));
    headers.add(H_ATTEMPTS, utf8(Integer.toString(d.attempt)));
  }

  private void addSource(RecordHeaders headers, Delivery d) {
    headers.add(H_TOPIC, utf8(d.record.topic()));
    headers.add(H_PARTITION, utf8(Integer.toString(d.record.partition())));
    headers.add(H_OFFSET, utf8(Long.toString(d.record.offset())));
    headers.add(H_VERSION, utf8(Integer.toString(d.version)));
    headers.add(H_TRIGGER, utf8(spec.function() + "/" + spec.name()));
  }

  private boolean fits(ProducerRecord<byte[], byte[]> r) {
    return estimate(r) <= limits.limit(r.topic());
  }

  /**
   * The record's size as the producer checks it against {@code max.request.size} (an upper bound of
   * the record in a batch of its own, uncompressed); the broker's {@code max.message.bytes} applies
   * to the same batch.
   */
  static int estimate(ProducerRecord<byte[], byte[]> r) {
    return AbstractRecords.estimateSizeInBytesUpperBound(
        RecordBatch.CURRENT_MAGIC_VALUE,
        CompressionType.NONE,
        r.key(),
        r.value(),
        r.headers().toArray());
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
