package io.fctoolkit.host.internal;

import com.google.cloud.functions.TypedFunction;
import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves a {@link TypedFunction}: JSON request body in, JSON response body out.
 *
 * <p>When the function overrides {@link TypedFunction#getWireFormat()} its own format is used (as
 * in Google's invoker, so functions can bring Gson or Jackson themselves). Otherwise the host's
 * built-in codec ({@link JsonBinder}) maps JSON to the function's request type.
 */
final class TypedInvoker implements FunctionInvoker {
  private final TypedFunction<Object, Object> function;
  private final Type requestType;
  private final TypedFunction.WireFormat wireFormat;

  @SuppressWarnings("unchecked")
  TypedInvoker(TypedFunction<?, ?> function) {
    this.function = (TypedFunction<Object, Object>) function;
    this.requestType = requestType(function.getClass());
    this.wireFormat = function.getWireFormat();
  }

  @Override
  public String kind() {
    return "typed";
  }

  @Override
  public Object function() {
    return function;
  }

  Type requestType() {
    return requestType;
  }

  @Override
  public void invoke(ExchangeRequest request, BufferedResponse response) throws Exception {
    Object input;
    if (wireFormat != null) {
      try {
        input = wireFormat.deserialize(request, requestType);
      } catch (RuntimeException e) {
        throw new BadRequestException(
            "The function's wire format could not read the request: " + Errors.describe(e), e);
      }
    } else {
      input = decode(request);
    }
    Object output = function.apply(input);
    if (wireFormat != null) {
      wireFormat.serialize(output, response);
    } else {
      encode(output, response);
    }
  }

  private Object decode(ExchangeRequest request) throws Exception {
    String body = new String(request.body(), request.charset());
    if (body.isBlank()) {
      return null; // as with Gson: an empty body is a null input
    }
    try {
      return JsonBinder.toJava(StrictJson.parse(body), requestType, "$");
    } catch (JsonException e) {
      throw new BadRequestException(
          "Request body does not fit " + requestType.getTypeName() + ": " + e.getMessage(), e);
    }
  }

  private static void encode(Object output, BufferedResponse response) throws Exception {
    if (output == null) {
      // As Google's invoker: no result is 204 No Content, not a JSON null.
      response.setStatusCode(204);
      return;
    }
    byte[] json = JsonBinder.toJson(output).getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json");
    response.getOutputStream().write(json);
  }

  @Override
  public void rehearse(ExchangeRequest request, BufferedResponse response) throws Exception {
    String body = new String(request.body(), request.charset());
    Object tree = body.isBlank() ? null : StrictJson.parse(body);
    try {
      JsonBinder.toJava(tree, requestType, "$");
    } catch (RuntimeException e) {
      // Training bodies do not match the user's type; the parsing path is what matters.
    }
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("trained", Boolean.TRUE);
    sample.put("input", tree);
    encode(sample, response);
  }

  @Override
  public boolean illegalArgumentIsBadRequest() {
    return true;
  }

  /** The concrete {@code RequestT} of a TypedFunction implementation, or Object. */
  static Type requestType(Class<?> type) {
    Type found = walk(type, new java.util.HashMap<>(), 0);
    if (found != null) {
      return found;
    }
    // Fall back on the apply method's declared parameter type.
    for (Method m : type.getMethods()) {
      if (m.getName().equals("apply") && m.getParameterCount() == 1 && !m.isBridge()) {
        return m.getGenericParameterTypes()[0];
      }
    }
    return Object.class;
  }

  /** Walks the class hierarchy, substituting type variables, to TypedFunction's first argument. */
  private static Type walk(Class<?> c, Map<TypeVariable<?>, Type> bindings, int depth) {
    if (c == null || depth > 20) {
      return null;
    }
    Type[] supers = new Type[c.getGenericInterfaces().length + 1];
    System.arraycopy(c.getGenericInterfaces(), 0, supers, 0, supers.length - 1);
    supers[supers.length - 1] = c.getGenericSuperclass();
    for (Type s : supers) {
      if (s == null) {
        continue;
      }
      Class<?> raw = JsonBinder.erase(s);
      if (!TypedFunction.class.isAssignableFrom(raw)) {
        continue;
      }
      Map<TypeVariable<?>, Type> next = new java.util.HashMap<>(bindings);
      if (s instanceof ParameterizedType) {
        Type[] args = ((ParameterizedType) s).getActualTypeArguments();
        TypeVariable<?>[] vars = raw.getTypeParameters();
        for (int i = 0; i < vars.length && i < args.length; i++) {
          Type arg = args[i];
          if (arg instanceof TypeVariable && bindings.containsKey(arg)) {
            arg = bindings.get(arg);
          }
          next.put(vars[i], arg);
        }
      }
      if (raw == TypedFunction.class) {
        Type request = next.get(TypedFunction.class.getTypeParameters()[0]);
        return request == null || request instanceof TypeVariable ? null : request;
      }
      Type found = walk(raw, next, depth + 1);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
