package io.fctoolkit.host.internal;

import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Maps between parsed JSON ({@link StrictJson}) and Java objects for typed functions, in the spirit
 * of Gson's defaults that Google's invoker uses: records through their components, other classes
 * through their non-static, non-transient fields (no-argument constructor required), unknown
 * properties ignored, null fields left out on output.
 *
 * <p>Supported: String, primitives and their boxes, BigDecimal, BigInteger, enums (by name),
 * records, plain classes, arrays, List/Set/Collection/Map (String keys)/Optional with generic
 * arguments, and Object (plain maps and lists). Not supported: polymorphism, custom naming,
 * java.time input (dates travel as strings), interfaces other than the collections above.
 */
final class JsonBinder {
  private static final int MAX_DEPTH = 64;

  private JsonBinder() {}

  /** Converts a parsed JSON value to {@code type}; the path names the offending field. */
  static Object toJava(Object json, Type type, String path) {
    if (type instanceof Class) {
      return toClass(json, (Class<?>) type, path);
    }
    if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Map.class.isAssignableFrom(raw)) {
        return toMap(json, args[1], path);
      }
      if (Collection.class.isAssignableFrom(raw)) {
        return toCollection(json, raw, args[0], path);
      }
      if (raw == Optional.class) {
        return json == null ? Optional.empty() : Optional.of(toJava(json, args[0], path));
      }
      return toClass(json, raw, path);
    }
    if (type instanceof GenericArrayType) {
      Type component = ((GenericArrayType) type).getGenericComponentType();
      return toArray(json, component, erase(component), path);
    }
    if (type instanceof WildcardType) {
      return toJava(json, ((WildcardType) type).getUpperBounds()[0], path);
    }
    if (type instanceof TypeVariable) {
      Type[] bounds = ((TypeVariable<?>) type).getBounds();
      return toJava(json, bounds.length == 0 ? Object.class : bounds[0], path);
    }
    throw new JsonException("Unsupported target type " + type + " at " + path);
  }

  private static Object toClass(Object json, Class<?> type, String path) {
    if (type == Object.class) {
      return untyped(json);
    }
    if (json == null) {
      if (type.isPrimitive()) {
        throw mismatch(path, type, json);
      }
      return type == Optional.class ? Optional.empty() : null;
    }
    if (type == String.class) {
      if (json instanceof String) {
        return json;
      }
      if (json instanceof Number || json instanceof Boolean) {
        // Gson reads a number or boolean into a String field as its text; so does the invoker.
        return json instanceof BigDecimal ? ((BigDecimal) json).toString() : json.toString();
      }
      throw mismatch(path, type, json);
    }
    if (type == boolean.class || type == Boolean.class) {
      if (json instanceof Boolean) {
        return json;
      }
      throw mismatch(path, type, json);
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return toNumber(json, type, path);
    }
    if (type == char.class || type == Character.class) {
      if (json instanceof String && ((String) json).length() == 1) {
        return ((String) json).charAt(0);
      }
      throw mismatch(path, type, json);
    }
    if (type.isEnum()) {
      if (json instanceof String) {
        for (Object constant : type.getEnumConstants()) {
          if (((Enum<?>) constant).name().equals(json)) {
            return constant;
          }
        }
      }
      throw new JsonException(
          "Value at " + path + " must be one of the names of enum " + type.getName());
    }
    if (type.isArray()) {
      return toArray(json, type.getComponentType(), type.getComponentType(), path);
    }
    if (Map.class.isAssignableFrom(type)) {
      return toMap(json, Object.class, path);
    }
    if (Collection.class.isAssignableFrom(type)) {
      return toCollection(json, type, Object.class, path);
    }
    if (type == UUID.class && json instanceof String) {
      try {
        return UUID.fromString((String) json);
      } catch (IllegalArgumentException e) {
        throw mismatch(path, type, json);
      }
    }
    if (!(json instanceof Map)) {
      throw mismatch(path, type, json);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) json;
    return type.isRecord() ? toRecord(object, type, path) : toBean(object, type, path);
  }

  private static Object toRecord(Map<String, Object> object, Class<?> type, String path) {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      Object raw = object.get(c.getName());
      values[i] =
          raw == null && c.getType().isPrimitive()
              ? defaultValue(c.getType())
              : toJava(raw, c.getGenericType(), path + "." + c.getName());
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
        // The record's own validation rejected the input: that is a bad request.
        throw new JsonException(
            "Value at "
                + path
                + " is not a valid "
                + type.getSimpleName()
                + ": "
                + cause.getMessage());
      }
      throw new IllegalStateException("Constructor of " + type.getName() + " failed", cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot construct record " + type.getName(), e);
    }
  }

  private static Object toBean(Map<String, Object> object, Class<?> type, String path) {
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new JsonException(
          "Cannot create " + type.getName() + " at " + path + ": it is abstract or an interface");
    }
    Object bean;
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      bean = constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "Typed function input "
              + type.getName()
              + " needs a no-argument constructor (or make it a record)",
          e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot construct " + type.getName(), e);
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        int mods = field.getModifiers();
        if (Modifier.isStatic(mods) || Modifier.isTransient(mods) || field.isSynthetic()) {
          continue;
        }
        if (!object.containsKey(field.getName())) {
          continue;
        }
        Object raw = object.get(field.getName());
        if (raw == null && field.getType().isPrimitive()) {
          continue;
        }
        Object value = toJava(raw, field.getGenericType(), path + "." + field.getName());
        try {
          field.setAccessible(true);
          field.set(bean, value);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException(
              "Cannot set field " + field.getName() + " of " + type.getName(), e);
        }
      }
    }
    return bean;
  }

  private static Object toArray(Object json, Type component, Class<?> erased, String path) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof List)) {
      throw mismatch(path, Array.newInstance(erased, 0).getClass(), json);
    }
    List<?> list = (List<?>) json;
    Object array = Array.newInstance(erased, list.size());
    for (int i = 0; i < list.size(); i++) {
      Array.set(array, i, toJava(list.get(i), component, path + "[" + i + "]"));
    }
    return array;
  }

  private static Collection<Object> toCollection(
      Object json, Class<?> raw, Type element, String path) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof List)) {
      throw mismatch(path, raw, json);
    }
    List<?> list = (List<?>) json;
    Collection<Object> result =
        Set.class.isAssignableFrom(raw) ? new LinkedHashSet<>() : new ArrayList<>(list.size());
    if (!raw.isInterface() && !raw.isAssignableFrom(result.getClass())) {
      throw new JsonException("Unsupported collection type " + raw.getName() + " at " + path);
    }
    for (int i = 0; i < list.size(); i++) {
      result.add(toJava(list.get(i), element, path + "[" + i + "]"));
    }
    return result;
  }

  private static Map<String, Object> toMap(Object json, Type valueType, String path) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof Map)) {
      throw mismatch(path, Map.class, json);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
      String key = (String) e.getKey();
      result.put(key, toJava(e.getValue(), valueType, path + "." + key));
    }
    return result;
  }

  private static Object toNumber(Object json, Class<?> type, String path) {
    if (!(json instanceof Number)) {
      throw mismatch(path, type, json);
    }
    Number n = (Number) json;
    try {
      if (type == int.class || type == Integer.class) {
        return exact(n).intValueExact();
      }
      if (type == long.class || type == Long.class) {
        return exact(n).longValueExact();
      }
      if (type == short.class || type == Short.class) {
        return exact(n).shortValueExact();
      }
      if (type == byte.class || type == Byte.class) {
        return exact(n).byteValueExact();
      }
      if (type == double.class || type == Double.class) {
        return n.doubleValue();
      }
      if (type == float.class || type == Float.class) {
        return n.floatValue();
      }
      if (type == BigDecimal.class) {
        return exact(n);
      }
      if (type == BigInteger.class) {
        return exact(n).toBigIntegerExact();
      }
      if (type == Number.class) {
        return n;
      }
    } catch (ArithmeticException e) {
      throw new JsonException(
          "Value " + n + " at " + path + " does not fit " + type.getSimpleName());
    }
    throw new JsonException("Unsupported number type " + type.getName() + " at " + path);
  }

  private static BigDecimal exact(Number n) {
    if (n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof BigInteger) {
      return new BigDecimal((BigInteger) n);
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** A parsed value for an {@code Object} target: decimals become Double, as with Gson. */
  private static Object untyped(Object json) {
    if (json instanceof BigDecimal) {
      return ((BigDecimal) json).doubleValue();
    }
    if (json instanceof Map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
        copy.put((String) e.getKey(), untyped(e.getValue()));
      }
      return copy;
    }
    if (json instanceof List) {
      List<Object> copy = new ArrayList<>();
      for (Object o : (List<?>) json) {
        copy.add(untyped(o));
      }
      return copy;
    }
    return json;
  }

  private static Object defaultValue(Class<?> primitive) {
    return Array.get(Array.newInstance(primitive, 1), 0);
  }

  static Class<?> erase(Type type) {
    if (type instanceof Class) {
      return (Class<?>) type;
    }
    if (type instanceof ParameterizedType) {
      return (Class<?>) ((ParameterizedType) type).getRawType();
    }
    if (type instanceof GenericArrayType) {
      return Array.newInstance(erase(((GenericArrayType) type).getGenericComponentType()), 0)
          .getClass();
    }
    return Object.class;
  }

  private static JsonException mismatch(String path, Class<?> type, Object json) {
    return new JsonException(
        "Value at "
            + path
            + " must be "
            + describe(type)
            + " but is "
            + (json == null ? "null" : kind(json)));
  }

  private static String describe(Class<?> type) {
    if (type == String.class || type == char.class || type == Character.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
      return "a number (" + type.getSimpleName() + ")";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  private static String kind(Object json) {
    if (json instanceof String) {
      return "a string";
    }
    if (json instanceof Number) {
      return "a number";
    }
    if (json instanceof Boolean) {
      return "a boolean";
    }
    if (json instanceof List) {
      return "an array";
    }
    return "an object";
  }

  /** Writes {@code value} as JSON. */
  static String toJson(Object value) {
    StringBuilder sb = new StringBuilder(64);
    write(value, sb, 0);
    return sb.toString();
  }

  static void write(Object value, StringBuilder sb, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException(
          "Cannot write the result as JSON: nesting deeper than " + MAX_DEPTH + " (a cycle?)");
    }
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String) {
      JsonText.quoteLikeGson((String) value, sb);
    } else if (value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Number) {
      writeNumber((Number) value, sb);
    } else if (value instanceof Character
        || value instanceof UUID
        || value instanceof java.net.URI
        || value instanceof TemporalAccessor
        || value instanceof java.time.Duration) {
      JsonText.quoteLikeGson(value.toString(), sb);
    } else if (value instanceof Enum) {
      JsonText.quoteLikeGson(((Enum<?>) value).name(), sb);
    } else if (value instanceof Optional) {
      write(((Optional<?>) value).orElse(null), sb, depth + 1);
    } else if (value instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        JsonText.quoteLikeGson(String.valueOf(e.getKey()), sb);
        sb.append(':');
        write(e.getValue(), sb, depth + 1);
      }
      sb.append('}');
    } else if (value instanceof Iterable) {
      sb.append('[');
      Iterator<?> it = ((Iterable<?>) value).iterator();
      for (boolean first = true; it.hasNext(); first = false) {
        if (!first) {
          sb.append(',');
        }
        write(it.next(), sb, depth + 1);
      }
      sb.append(']');
    } else if (value.getClass().isArray()) {
      sb.append('[');
      int length = Array.getLength(value);
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(Array.get(value, i), sb, depth + 1);
      }
      sb.append(']');
    } else if (value.getClass().isRecord()) {
      writeRecord(value, sb, depth);
    } else {
      writeBean(value, sb, depth);
    }
  }

  private static void writeNumber(Number n, StringBuilder sb) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalStateException("Cannot write " + d + " as JSON");
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d).append(".0");
      } else {
        sb.append(n);
      }
    } else if (n instanceof BigDecimal) {
      sb.append(((BigDecimal) n).toString());
    } else {
      sb.append(n);
    }
  }

  private static void writeRecord(Object record, StringBuilder sb, int depth) {
    sb.append('{');
    boolean first = true;
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object v;
      try {
        java.lang.reflect.Method accessor = c.getAccessor();
        accessor.setAccessible(true);
        v = accessor.invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot read " + c.getName() + " of " + record, e);
      }
      if (v == null) {
        continue;
      }
      if (!first) {
        sb.append(',');
      }
      first = false;
      JsonText.quoteLikeGson(c.getName(), sb);
      sb.append(':');
      write(v, sb, depth + 1);
    }
    sb.append('}');
  }

  private static void writeBean(Object bean, StringBuilder sb, int depth) {
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = bean.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      chain.add(0, c);
    }
    sb.append('{');
    boolean first = true;
    for (Class<?> c : chain) {
      for (Field field : c.getDeclaredFields()) {
        int mods = field.getModifiers();
        if (Modifier.isStatic(mods) || Modifier.isTransient(mods) || field.isSynthetic()) {
          continue;
        }
        Object v;
        try {
          field.setAccessible(true);
          v = field.get(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalStateException(
              "Cannot read field " + field.getName() + " of " + c.getName(), e);
        }
        if (v == null) {
          continue;
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        JsonText.quoteLikeGson(field.getName(), sb);
        sb.append(':');
        write(v, sb, depth + 1);
      }
    }
    sb.append('}');
  }
}
