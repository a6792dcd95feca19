package io.fctoolkit.maven.internal;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks, before an image is built, that the handler is a function fc-host (and Google's invoker)
 * can serve: the class is in the project's classes or runtime jars, implements one of the Functions
 * Framework kinds, is public and concrete, and has a public no-argument constructor. Otherwise the
 * build stops here, naming the class and the fix, instead of the version failing to start at
 * publish. Classes are loaded without being initialised: no user code runs.
 */
public final class HandlerCheck {
  /** The kinds fc-host serves, in the order the message names them. */
  static final List<String> KINDS =
      List.of(
          "com.google.cloud.functions.HttpFunction",
          "com.google.cloud.functions.CloudEventsFunction",
          "com.google.cloud.functions.TypedFunction",
          "com.google.cloud.functions.BackgroundFunction",
          "com.google.cloud.functions.RawBackgroundFunction");

  /** At most this many classes are looked at when suggesting functions for a missing handler. */
  private static final int MAX_SCANNED = 2000;

  private HandlerCheck() {}

  /**
   * @param handler the fully qualified class name
   * @param classes the project's compiled classes folder
   * @param jars the image's jars: runtime dependencies and the host's (the Functions Framework API
   *     and its dependencies)
   * @throws io.fctoolkit.core.InvalidRequestException naming {@code <handler>} and the fix
   */
  public static void check(String handler, Path classes, List<Path> jars) {
    if (!Files.isDirectory(classes)) {
      throw Hints.invalidRequest(
          "handler",
          handler,
          "the classes folder "
              + classes
              + " does not exist; compile the project first (for example mvn package fc:deploy)");
    }
    try (URLClassLoader loader = loader(classes, jars)) {
      Class<?> type;
      try {
        type = Class.forName(handler, false, loader);
      } catch (ClassNotFoundException e) {
        throw Hints.invalidRequest(
            "handler",
            handler,
            "no such class in "
                + classes
                + " or the runtime dependencies"
                + suggestions(classes, loader));
      } catch (LinkageError e) {
        throw Hints.invalidRequest(
            "handler",
            handler,
            "the class cannot be loaded ("
                + e
                + "); a class it needs is missing: give that dependency compile or runtime scope");
      }
      String problem = problem(type, loader);
      if (problem != null) {
        throw Hints.invalidRequest("handler", handler, problem);
      }
    } catch (IOException e) {
      // Only close() throws it, after the check ran; nothing to report.
    }
  }

  /** Why {@code type} cannot be served, or null when it can. */
  static String problem(Class<?> type, ClassLoader loader) {
    String kind;
    try {
      kind = kind(type, loader);
    } catch (LinkageError e) {
      return "the class cannot be loaded ("
          + e
          + "); a class it needs is missing: give that dependency compile or runtime scope";
    }
    if (kind == null) {
      return "the class is not a function: implement one of "
          + String.join(", ", KINDS.stream().map(k -> k.substring(k.lastIndexOf('.') + 1)).toList())
          + " (com.google.cloud.functions, from functions-framework-api)";
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      return "the class is abstract or an interface; name the concrete class that implements "
          + kind;
    }
    if (!Modifier.isPublic(type.getModifiers())
        || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
      return "the class must be public (and static when nested), as Google's invoker requires";
    }
    try {
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      return "the class has no public no-argument constructor; add public "
          + type.getSimpleName()
          + "() {} (the host creates the function with it)";
    } catch (LinkageError e) {
      return "the class cannot be loaded (" + e + ")";
    }
    return null;
  }

  /** The simple name of the kind {@code type} implements, or null. */
  private static String kind(Class<?> type, ClassLoader loader) {
    for (String name : KINDS) {
      Class<?> kind;
      try {
        kind = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        continue; // an older API without this kind
      }
      if (kind.isAssignableFrom(type)) {
        return name.substring(name.lastIndexOf('.') + 1);
      }
    }
    return null;
  }

  private static URLClassLoader loader(Path classes, List<Path> jars) {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(classes.toUri().toURL());
      for (Path jar : jars) {
        urls.add(jar.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException("a class path entry is not a URL: " + e.getMessage(), e);
    }
    // The platform loader as parent: only the image's own classes and the JDK are visible.
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  /** {@code "; functions in target/classes: a.B, c.D"}, or empty when there are none. */
  private static String suggestions(Path classes, ClassLoader loader) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.limit(MAX_SCANNED)::iterator) {
        String relative = classes.relativize(file).toString();
        if (!relative.endsWith(".class") || relative.contains("$")) {
          continue;
        }
        String name =
            relative
                .substring(0, relative.length() - ".class".length())
                .replace(file.getFileSystem().getSeparator(), ".");
        try {
          if (problem(Class.forName(name, false, loader), loader) == null) {
            found.add(name);
          }
        } catch (ClassNotFoundException | LinkageError e) {
          // not loadable: not a candidate
        }
      }
    } catch (IOException e) {
      return "";
    }
    return found.isEmpty() ? "" : "; functions in " + classes + ": " + String.join(", ", found);
  }
}
