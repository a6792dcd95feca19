package io.fctoolkit.maven;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.gitops.AliasSpec;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.maven.internal.FunctionConfigs;
import io.fctoolkit.maven.internal.FunctionSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Parameter;

/** The function configuration parameters of {@code fc:deploy}, over the image parameters. */
public abstract class AbstractFunctionMojo extends AbstractImageMojo {

  /**
   * Memory of one instance in MiB; the heap is sized from it.
   *
   * <pre>
   * &lt;memory&gt;512&lt;/memory&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.memory")
  Integer memory;

  /**
   * Requests one instance serves at the same time.
   *
   * <pre>
   * &lt;concurrency&gt;10&lt;/concurrency&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.concurrency")
  Integer concurrency;

  /**
   * The longest one request may run: {@code 30s}, {@code 2m}, {@code PT30S}.
   *
   * <pre>
   * &lt;timeout&gt;30s&lt;/timeout&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.timeout")
  String timeout;

  /**
   * Instances kept running when idle (0 scales to zero).
   *
   * <pre>
   * &lt;minInstances&gt;0&lt;/minInstances&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.minInstances")
  Integer minInstances;

  /**
   * The most instances of one version.
   *
   * <pre>
   * &lt;maxInstances&gt;10&lt;/maxInstances&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.maxInstances")
  Integer maxInstances;

  /**
   * How long an idle instance lives: {@code 5m}, {@code PT5M}.
   *
   * <pre>
   * &lt;idleTimeout&gt;5m&lt;/idleTimeout&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.idleTimeout")
  String idleTimeout;

  /**
   * Started, ready instances kept ahead of demand while an alias routes to the version (hot
   * standby), so a rising load does not wait for a start; 0 turns it off. Each holds the function's
   * memory while it waits ({@code fc:status} shows the cost). Default 1.
   *
   * <pre>
   * &lt;standby&gt;1&lt;/standby&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.standby")
  Integer standby;

  /**
   * Whether invocations need no bearer token.
   *
   * <pre>
   * &lt;publicInvoke&gt;true&lt;/publicInvoke&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.publicInvoke")
  Boolean publicInvoke;

  /**
   * Environment variables of the function (added to those of the gitops function file). On the
   * command line: {@code -Dfc.variables=NAME=value,OTHER=value}, added to these.
   *
   * <pre>
   * &lt;variables&gt;
   *   &lt;GREETING&gt;hello&lt;/GREETING&gt;
   * &lt;/variables&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter Map<String, String> variables;

  /**
   * The release id a deploy to the local runtime publishes under, so that {@code fc:plan} and
   * {@code fc:apply} on the {@code dev} environment recognise the build: the release the {@code
   * dev} environment's alias points at for this function (docs/gitops.md, section 9).
   */
  Optional<String> devReleaseId(String name, String aliasName) {
    Optional<Path> folder = gitopsFolder();
    if (folder.isEmpty()) {
      return Optional.empty();
    }
    EnvironmentSpec dev = gitopsRepository(folder.get()).environments().get("dev");
    if (dev == null) {
      return Optional.empty();
    }
    return dev.function(name).flatMap(f -> f.alias(aliasName)).map(AliasSpec::release);
  }

  private Map<String, String> allVariables() {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    if (variables != null) {
      all.putAll(variables);
    }
    all.putAll(FunctionConfigs.variables(lookup("fc.variables")));
    return all;
  }

  FunctionConfig functionConfig(String name, Optional<FunctionSpec> spec) {
    FunctionSettings settings =
        new FunctionSettings(
            memory,
            concurrency,
            timeout,
            minInstances,
            maxInstances,
            idleTimeout,
            allVariables(),
            publicInvoke,
            standby);
    return FunctionConfigs.from(
        name, handler, settings, spec.map(FunctionSpec::config).orElse(null));
  }
}
