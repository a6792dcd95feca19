package io.fctoolkit.maven.internal;

/**
 * The CloudEvent {@code fc:invoke} sends ({@code <cloudEvent>} / {@code -Dfc.cloudEvent.*}); all
 * null when the request is a plain HTTP one.
 *
 * @param type {@code type}, required for an event
 * @param source {@code source}, required for an event
 * @param subject {@code subject}, or null
 * @param id {@code id}, or null for a random UUID
 * @param mode {@code binary} (attributes as {@code ce-*} headers, the body as data) or {@code
 *     structured} (one {@code application/cloudevents+json} document); null means binary
 */
public record CloudEventSettings(
    String type, String source, String subject, String id, String mode) {

  /** No event: a plain request. */
  public static final CloudEventSettings NONE =
      new CloudEventSettings(null, null, null, null, null);

  /** Whether any attribute is set, i.e. the request is meant to be an event. */
  public boolean isSet() {
    return set(type) || set(source) || set(subject) || set(id) || set(mode);
  }

  static boolean set(String value) {
    return value != null && !value.isBlank();
  }
}
