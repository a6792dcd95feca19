package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Version;
import io.fctoolkit.runtime.internal.StateStore.FunctionEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The data plane: routes each request to a version's pool. The decision (alias to version by weight
 * and affinity, and whether that very version may be invoked without a token) is made from one read
 * of the function's state, an immutable {@link FunctionEntry}, so an alias moved at the same time
 * is seen wholly before or wholly after the move, never half.
 */
public final class AliasRouter {

  private static final Pattern VERSION_QUALIFIER = Pattern.compile("v?([0-9]{1,9})");

  private final Function<String, Optional<FunctionEntry>> functions;
  private final VersionPools pools;
  private final StatsRegistry stats;

  /**
   * @param functions reads a function's current state ({@link StateStore#function}); each routing
   *     decision reads it once
   */
  public AliasRouter(
      Function<String, Optional<FunctionEntry>> functions,
      VersionPools pools,
      StatsRegistry stats) {
    this.functions = functions;
    this.pools = pools;
    this.stats = stats;
  }

  /**
   * Where one request goes.
   *
   * @param version the version chosen
   * @param alias the alias it came through, or null for a version number
   * @param publicVersion whether {@code version} may be invoked without a token
   */
  public record Route(Version version, String alias, boolean publicVersion) {}

  /**
   * Decides where a request goes: resolves {@code qualifier} (an alias, with its weight and
   * affinity, or a version number) in one snapshot of the function's state.
   *
   * @throws NotFoundException when the function, alias or version does not exist
   */
  public Route route(String function, String qualifier, String routingKey) {
    FunctionEntry entry =
        functions.apply(function).orElseThrow(() -> StateStore.functionNotFound(function));
    var m = VERSION_QUALIFIER.matcher(qualifier);
    if (m.matches()) {
      Version v = StateStore.requireVersion(entry, Integer.parseInt(m.group(1)));
      return new Route(v, null, v.config().publicInvoke());
    }
    Alias alias =
        entry
            .toState()
            .alias(qualifier)
            .orElseThrow(() -> StateStore.aliasNotFound(function, qualifier));
    Version v = StateStore.requireVersion(entry, pick(alias.target(), routingKey));
    return new Route(v, alias.name(), v.config().publicInvoke());
  }

  /**
   * Routes one request and hands it to the chosen version's pool. Without a token ({@code
   * tokenPresented} false) it is answered 401 unless the version it was routed to is public.
   *
   * @throws NotFoundException when the function, alias or version does not exist
   */
  public CompletableFuture<InvokeResponse> invoke(
      String function,
      String qualifier,
      String routingKey,
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      boolean tokenPresented) {
    long start = System.nanoTime();
    Route route = route(function, qualifier, routingKey);
    if (!tokenPresented && !route.publicVersion()) {
      return CompletableFuture.completedFuture(
          Responses.error(
              401,
              "Unauthorized",
              "missing or wrong bearer token: "
                  + function
                  + "/"
                  + qualifier
                  + " routed this request to v"
                  + route.version().number()
                  + ", which is not public",
              "send 'Authorization: Bearer <token>' with the token from the runtime's state"
                  + " folder (file 'token'), or publish the versions an alias routes to with"
                  + " publicInvoke: true",
              0,
              start));
    }
    Call call =
        new Call(
            method,
            path,
            headers,
            body,
            route.alias() == null ? null : stats.alias(function, route.alias()));
    pools.pool(route.version()).submit(call);
    return call.future();
  }

  /**
   * Whether every version {@code qualifier} may route to allows invocation without a token: a cheap
   * early refusal before a request's body is read. Not the decision itself, which {@link #invoke}
   * makes on the version it routes to.
   */
  public boolean mayBePublic(String function, String qualifier) {
    FunctionEntry entry = functions.apply(function).orElse(null);
    if (entry == null) {
      return false;
    }
    var m = VERSION_QUALIFIER.matcher(qualifier);
    if (m.matches()) {
      return isPublic(entry, Integer.parseInt(m.group(1)));
    }
    Alias a = entry.toState().alias(qualifier).orElse(null);
    if (a == null) {
      return false;
    }
    return isPublic(entry, a.target().version())
        && (a.target().canaryVersion() == null || isPublic(entry, a.target().canaryVersion()));
  }

  private static boolean isPublic(FunctionEntry entry, int number) {
    return entry.toState().version(number).map(v -> v.config().publicInvoke()).orElse(false);
  }

  /** Picks the primary or the canary: by a hash of the key under key affinity, else at random. */
  static int pick(AliasTarget target, String routingKey) {
    if (!target.hasCanary()) {
      return target.version();
    }
    double point;
    if (target.affinity() == Affinity.KEY && routingKey != null) {
      point = keyPoint(routingKey);
    } else {
      point = ThreadLocalRandom.current().nextDouble(100.0);
    }
    return point < target.canaryWeight().doubleValue() ? target.canaryVersion() : target.version();
  }

  /** A uniform point in [0, 100) from the SHA-256 of the key: stable across restarts and JVMs. */
  static double keyPoint(String key) {
    byte[] hash = ImageStore.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(hash).getLong() >>> 11;
    return bits / (double) (1L << 53) * 100.0;
  }
}
