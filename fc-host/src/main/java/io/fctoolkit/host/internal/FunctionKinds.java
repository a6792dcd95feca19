package io.fctoolkit.host.internal;

import com.google.cloud.functions.BackgroundFunction;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.RawBackgroundFunction;
import com.google.cloud.functions.TypedFunction;

/**
 * Recognises the function kinds other than HTTP; separate from {@link FunctionLoader} so that an
 * HTTP function never loads the CloudEvents or JSON classes.
 */
final class FunctionKinds {
  private FunctionKinds() {}

  /** The invoker for {@code instance}, or null when it is of no supported kind. */
  static FunctionInvoker adapt(String target, Object instance) throws FunctionLoadException {
    if (instance instanceof CloudEventsFunction) {
      try {
        return new CloudEventInvoker((CloudEventsFunction) instance);
      } catch (NoClassDefFoundError e) {
        throw new FunctionLoadException(
            target,
            "CloudEventsFunction "
                + target
                + " needs io.cloudevents:cloudevents-api on the classpath (a dependency of"
                + " functions-framework-api): "
                + e.getMessage(),
            e);
      }
    }
    if (instance instanceof TypedFunction) {
      return new TypedInvoker((TypedFunction<?, ?>) instance);
    }
    if (instance instanceof BackgroundFunction) {
      return BackgroundInvoker.typed(target, (BackgroundFunction<?>) instance);
    }
    if (instance instanceof RawBackgroundFunction) {
      return BackgroundInvoker.raw((RawBackgroundFunction) instance);
    }
    return null;
  }
}
