package io.fctoolkit.maven;

/**
 * The CloudEvent {@code fc:invoke} sends: {@code <cloudEvent><type>...</type></cloudEvent>} in the
 * pom, or {@code -Dfc.cloudEvent.type}, {@code -Dfc.cloudEvent.source}, {@code
 * -Dfc.cloudEvent.subject}, {@code -Dfc.cloudEvent.id}, {@code -Dfc.cloudEvent.mode}.
 */
public class CloudEventConfig {

  /** The event's {@code type}, e.g. {@code com.example.submission.created}. */
  private String type;

  /** The event's {@code source}, e.g. {@code //example.com/submissions}. */
  private String source;

  /** The event's {@code subject}; none by default. */
  private String subject;

  /** The event's {@code id}; a random UUID by default. */
  private String id;

  /**
   * {@code binary} (the default: {@code ce-*} headers) or {@code structured} (one JSON document).
   */
  private String mode;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  public String getId() {
    return id;
  }

  public void setId(String id) {
    this.id = id;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }
}
