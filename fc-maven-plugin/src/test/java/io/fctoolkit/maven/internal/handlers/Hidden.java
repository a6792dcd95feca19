package io.fctoolkit.maven.internal.handlers;

import com.google.cloud.functions.Context;
import com.google.cloud.functions.RawBackgroundFunction;

/** Holds a function class that is not public. */
public final class Hidden {
  private Hidden() {}

  static class Raw implements RawBackgroundFunction {
    @Override
    public void accept(String json, Context context) {}
  }
}
