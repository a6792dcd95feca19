package io.fctoolkit.core;

/** A request whose field has a value the platform cannot accept. */
public class InvalidRequestException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRequestException(String field, String message, String hint) {
    super(field + ": " + message, hint);
    this.field = field;
  }

  /** The path of the offending field, e.g. {@code alias.weight} or {@code handler}. */
  public String field() {
    return field;
  }
}
