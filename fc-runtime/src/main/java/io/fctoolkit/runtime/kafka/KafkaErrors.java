package io.fctoolkit.runtime.kafka;

import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts Kafka's exceptions into what a trigger does with them, following the exception types'
 * documentation: fatal ones (no retry can help: credentials, permissions, a fenced producer, an
 * unsupported protocol version, a bad topic name or setting) stop the trigger with a reason and
 * what to do; per-record ones (one record is too large or invalid) affect that record only;
 * everything else is transient and retried with backoff.
 */
final class KafkaErrors {

  /**
   * Why the trigger stops and what the user can do about it.
   *
   * @param repeated true when one occurrence may be a passing state and only a repetition is fatal
   */
  record Fatal(String reason, String action, boolean repeated) {
    String describe() {
      return reason + "; " + action;
    }
  }

  private KafkaErrors() {}

  /** The fatal error in {@code e}'s cause chain, if any. */
  static Optional<Fatal> fatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      Optional<Fatal> f = classify(t);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  private static Optional<Fatal> classify(Throwable t) {
    String what = describe(t);
    if (t instanceof TransactionalIdAuthorizationException) {
      return fatal(
          what,
          "grant the runtime's principal Write and Describe on its transactional id (prefix"
              + " 'fc-'), then put the trigger again");
    }
    if (t instanceof AuthorizationException) {
      return fatal(
          what,
          "grant the runtime's principal Read on the topic and group and Write on the output"
              + " topics, then put the trigger again");
    }
    if (t instanceof AuthenticationException || t instanceof SecurityDisabledException) {
      return fatal(
          what,
          "fix the security settings (security.protocol, sasl.*, ssl.*) in the runtime's Kafka"
              + " client properties, then put the trigger again");
    }
    if (t instanceof ProducerFencedException || t instanceof FencedInstanceIdException) {
      // Fatal when it repeats: another live runtime with our ids fences each new session of ours.
      // Once may be a transaction the coordinator timed out under load.
      return Optional.of(
          new Fatal(
              what,
              "another runtime with the same instance id (the same state folder) runs this"
                  + " trigger; stop it, then put the trigger again",
              true));
    }
    if (t instanceof UnsupportedVersionException
        || t instanceof UnsupportedForMessageFormatException
        || t instanceof UnsupportedCompressionTypeException) {
      return fatal(
          what,
          "the cluster does not support what triggers need (transactions, Kafka 2.5 or later);"
              + " upgrade the brokers or point the trigger at another cluster");
    }
    if (t instanceof InvalidTopicException) {
      return fatal(what, "fix the topic names of the trigger (topic, deadLetterTopic, onSuccess)");
    }
    if (t instanceof InvalidGroupIdException) {
      return fatal(what, "fix the trigger's consumerGroup");
    }
    if (t instanceof ConfigException || t instanceof InvalidConfigurationException) {
      return fatal(what, "fix the runtime's Kafka client properties");
    }
    return Optional.empty();
  }

  private static Optional<Fatal> fatal(String reason, String action) {
    return Optional.of(new Fatal(reason, action, false));
  }

  /**
   * True when one record, not the connection, failed: written as it is the record can never
   * succeed, so it is written in a form that fits or parked.
   */
  static boolean isRecordError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RecordTooLargeException
          || t instanceof RecordBatchTooLargeException
          || t instanceof InvalidRecordException
          || t instanceof SerializationException) {
        return true;
      }
    }
    return false;
  }

  /** True when the cluster did not answer (as opposed to answering with an error). */
  static boolean isConnectionProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof org.apache.kafka.common.errors.TimeoutException
          || t instanceof DisconnectException
          || (t.getMessage() != null && t.getMessage().startsWith("cannot reach Kafka"))) {
        return true;
      }
    }
    return false;
  }

  /** The exception's type and message, for status and logs. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
