package io.fctoolkit.knative;

import io.fctoolkit.core.FcException;

/** The cluster does not serve a Knative API that fc-toolkit needs (its CRD is not installed). */
public class KnativeNotInstalledException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String apiVersion;

  public KnativeNotInstalledException(String apiVersion, String kind, Throwable cause) {
    super(
        "the cluster does not serve " + kind + " (" + apiVersion + ")",
        "install Knative Serving, Eventing and the Kafka extension (source, sink, channel) as"
            + " docs/knative.md shows",
        cause);
    this.apiVersion = apiVersion;
  }

  public String apiVersion() {
    return apiVersion;
  }
}
