package io.fctoolkit.knative.internal;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The Knative resource types fc-toolkit writes, with explicit plurals (no API discovery). */
public final class KnativeKinds {

  private KnativeKinds() {}

  public static final ResourceDefinitionContext SERVICE =
      context("serving.knative.dev", "v1", "Service", "services");
  public static final ResourceDefinitionContext REVISION =
      context("serving.knative.dev", "v1", "Revision", "revisions");
  public static final ResourceDefinitionContext KAFKA_SOURCE =
      context("sources.knative.dev", "v1", "KafkaSource", "kafkasources");
  public static final ResourceDefinitionContext KAFKA_SINK =
      context("eventing.knative.dev", "v1alpha1", "KafkaSink", "kafkasinks");
  public static final ResourceDefinitionContext SEQUENCE =
      context("flows.knative.dev", "v1", "Sequence", "sequences");

  /** The context of a manifest built by this module, from its apiVersion and kind. */
  public static ResourceDefinitionContext of(String apiVersion, String kind) {
    for (ResourceDefinitionContext c :
        new ResourceDefinitionContext[] {SERVICE, REVISION, KAFKA_SOURCE, KAFKA_SINK, SEQUENCE}) {
      if ((c.getGroup() + "/" + c.getVersion()).equals(apiVersion) && c.getKind().equals(kind)) {
        return c;
      }
    }
    throw new IllegalArgumentException("not a kind fc-toolkit manages: " + kind + " " + apiVersion);
  }

  /** e.g. {@code services.serving.knative.dev}. */
  public static String resource(ResourceDefinitionContext c) {
    return c.getPlural() + "." + c.getGroup();
  }

  private static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }
}
