package io.fctoolkit.host.internal;

/** An environment variable of the host contract has a value the host cannot use. */
public final class HostConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String variable;

  /** Creates the exception for {@code variable} set to {@code value}, saying what it expects. */
  public HostConfigException(String variable, String value, String expected) {
    super(
        "Environment variable "
            + variable
            + (value.isEmpty() ? " is not set" : " has the invalid value '" + value + "'")
            + "; set it to "
            + expected);
    this.variable = variable;
  }

  /** Creates the exception for {@code variable} with a message that says what to do. */
  public HostConfigException(String variable, String message) {
    super(message);
    this.variable = variable;
  }

  /** The offending environment variable. */
  public String variable() {
    return variable;
  }
}
