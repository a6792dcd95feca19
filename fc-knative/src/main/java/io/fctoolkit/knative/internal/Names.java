package io.fctoolkit.knative.internal;

/** Object names, labels and annotation keys that fc-toolkit uses on Knative; one place for all. */
public final class Names {

  private Names() {}

  public static final String FIELD_MANAGER = "fc-toolkit";

  public static final String SERVING_API = "serving.knative.dev/v1";
  public static final String KAFKA_SOURCE_API = "sources.knative.dev/v1";
  public static final String KAFKA_SINK_API = "eventing.knative.dev/v1alpha1";
  public static final String SEQUENCE_API = "flows.knative.dev/v1";
  public static final String KAFKA_CHANNEL_API = "messaging.knative.dev/v1beta1";

  private static final String PREFIX = "fc-toolkit.io/";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_FUNCTION = PREFIX + "function";
  public static final String LABEL_TRIGGER = PREFIX + "trigger";

  /** Service annotation: the versions ledger (JSON), so describe works without the controller. */
  public static final String ANN_VERSIONS = PREFIX + "versions";

  /** Service annotation: the aliases with their revisions (JSON), in creation order. */
  public static final String ANN_ALIASES = PREFIX + "aliases";

  /** Service annotation: which alias owns the default route's split. */
  public static final String ANN_PRIMARY_ALIAS = PREFIX + "primary-alias";

  /** Revision template annotations. */
  public static final String ANN_CONTENT_ID = PREFIX + "content-id";

  public static final String ANN_VERSION = PREFIX + "version";
  public static final String ANN_RELEASE = PREFIX + "release";

  /** Flagger Canary annotation: the alias whose rollout it runs. */
  public static final String ANN_ALIAS = PREFIX + "alias";

  /** KafkaSource annotation: the full trigger spec (JSON), since Knative drops some fields. */
  public static final String ANN_TRIGGER = PREFIX + "trigger";

  public static String revision(String function, int version) {
    return function + "-v" + version;
  }

  /** The version number of a revision name {@code <function>-v<N>}, or -1. */
  public static int versionOf(String function, String revisionName) {
    String prefix = function + "-v";
    if (revisionName == null || !revisionName.startsWith(prefix)) {
      return -1;
    }
    try {
      return Integer.parseInt(revisionName.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static String source(String function, String trigger) {
    return function + "-" + trigger;
  }

  public static String sequence(String function, String trigger) {
    return function + "-" + trigger;
  }

  public static String deadLetterSink(String function, String trigger) {
    return function + "-" + trigger + "-dlq";
  }

  public static String resultSink(String function, String trigger) {
    return function + "-" + trigger + "-result";
  }

  /** The cluster-local address of a traffic tag under Knative's default tag template. */
  public static String tagAddress(String tag, String function, String namespace) {
    return "http://" + tag + "-" + function + "." + namespace + ".svc.cluster.local";
  }
}
