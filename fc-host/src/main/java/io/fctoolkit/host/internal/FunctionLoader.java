package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpFunction;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/** Finds, instantiates and recognises the function class named by {@code FUNCTION_TARGET}. */
final class FunctionLoader {
  private FunctionLoader() {}

  /** The class loader for the function: the host's own, or a child with the extra classpath. */
  static ClassLoader classLoader(String extraClasspath) throws FunctionLoadException {
    ClassLoader parent = FunctionLoader.class.getClassLoader();
    if (extraClasspath.isEmpty()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : extraClasspath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      File file = new File(entry);
      if (!file.exists()) {
        throw new FunctionLoadException(
            "",
            "FC_FUNCTION_CLASSPATH entry "
                + file.getAbsolutePath()
                + " does not exist; fix or remove it",
            null);
      }
      try {
        urls.add(file.toURI().toURL());
      } catch (MalformedURLException e) {
        throw new FunctionLoadException("", "Bad FC_FUNCTION_CLASSPATH entry " + entry, e);
      }
    }
    return new URLClassLoader("fc-function", urls.toArray(new URL[0]), parent);
  }

  /** Loads and instantiates {@code target} and wraps it in the invoker for its kind. */
  static FunctionInvoker load(String target, ClassLoader loader) throws FunctionLoadException {
    Class<?> type;
    try {
      type = Class.forName(target, true, loader);
    } catch (ClassNotFoundException e) {
      throw new FunctionLoadException(
          target,
          "Function class "
              + target
              + " was not found on the classpath; check FUNCTION_TARGET (a fully qualified class"
              + " name) and that the function's classes are on -cp or FC_FUNCTION_CLASSPATH",
          e);
    } catch (LinkageError e) {
      throw new FunctionLoadException(
          target,
          "Function class " + target + " could not be initialised: " + Errors.describe(e),
          e);
    }
    if (Modifier.isAbstract(type.getModifiers())) {
      throw new FunctionLoadException(
          target, "Function class " + target + " is abstract or an interface", null);
    }
    Object instance;
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      instance = constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new FunctionLoadException(
          target, "Function class " + target + " needs a no-argument constructor", e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new FunctionLoadException(
          target,
          "The constructor of "
              + target
              + " threw "
              + cause.getClass().getName()
              + ": "
              + Errors.describe(cause),
          cause);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new FunctionLoadException(
          target, "Could not instantiate " + target + ": " + Errors.describe(e), e);
    }
    if (instance instanceof HttpFunction) {
      return new HttpInvoker((HttpFunction) instance);
    }
    // The other kinds live in their own classes so that an HTTP function never loads the
    // CloudEvents or JSON code at start-up.
    FunctionInvoker other = FunctionKinds.adapt(target, instance);
    if (other != null) {
      return other;
    }
    throw new FunctionLoadException(
        target,
        "Function class "
            + target
            + " implements none of HttpFunction, CloudEventsFunction, TypedFunction,"
            + " BackgroundFunction or RawBackgroundFunction (com.google.cloud.functions); implement"
            + " one of them",
        null);
  }
}
