package io.fctoolkit.host.internal;

/** Recognises the function kinds other than HTTP. */
final class Kinds {
  private Kinds() {}

  /** The invoker for {@code instance}, or null when it is of no supported kind. */
  static FunctionInvoker adapt(String target, Object instance) throws FunctionLoadException {
    return null;
  }
}
