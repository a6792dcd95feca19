package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.BackgroundFunction;
import com.google.cloud.functions.Context;

/** A background function without a payload type: neither host can bind its events. */
@SuppressWarnings("rawtypes")
public class UntypedBackground implements BackgroundFunction {
  @Override
  public void accept(Object payload, Context context) {}
}
