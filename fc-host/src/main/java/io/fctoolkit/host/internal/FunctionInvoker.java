package io.fctoolkit.host.internal;

/** Adapts one kind of Functions Framework function to an HTTP request and response. */
interface FunctionInvoker {

  /**
   * The function kind for logs: {@code http}, {@code cloudevent}, {@code typed}, {@code background}
   * or {@code raw-background}.
   */
  String kind();

  /** The user's function instance. */
  Object function();

  /**
   * Runs the function for one request.
   *
   * @throws BadRequestException when the request cannot be turned into the function's input
   */
  void invoke(ExchangeRequest request, BufferedResponse response) throws Exception;

  /**
   * Does everything {@link #invoke} does except calling the user's function: a training run
   * exercises the host's request path without the function's side effects.
   */
  void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception;

  /**
   * Whether an {@link IllegalArgumentException} thrown by the function means the input was bad
   * (400, a permanent error that triggers do not retry) rather than a server error (500).
   */
  boolean illegalArgumentIsBadRequest();
}
