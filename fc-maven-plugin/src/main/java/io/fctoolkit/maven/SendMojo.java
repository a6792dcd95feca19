package io.fctoolkit.maven;

import io.fctoolkit.core.Durations;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.RecordFiles;
import io.fctoolkit.maven.internal.SendReport;
import io.fctoolkit.runtime.kafka.SendOutcome;
import io.fctoolkit.runtime.kafka.SendRecord;
import io.fctoolkit.runtime.kafka.TriggerSender;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Produces test records to a trigger's topic on the environment's Kafka cluster (the local
 * runtime's embedded broker, or the {@code bootstrapServers} of a gitops environment), then waits
 * for and prints what became of each: the function's result from the trigger's onSuccess topic, its
 * dead letter with the reason, or that the trigger committed past it without either. Fails when a
 * record has no outcome within {@code fc.waitTimeout}. Skipped with {@code -Dfc.send.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "send", threadSafe = true)
public class SendMojo extends AbstractFcMojo {

  /**
   * The trigger whose topic gets the records; may be left out when the function has one trigger.
   *
   * <pre>
   * &lt;trigger&gt;submissions&lt;/trigger&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.trigger")
  String trigger;

  /**
   * The value of one record to send (UTF-8 text).
   *
   * <pre>
   * &lt;value&gt;{"submissionId":"s1"}&lt;/value&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.value")
  String value;

  /**
   * A file or folder of records: a {@code .jsonl} file holds one record per line ({@code {"key":
   * "k", "headers": {"x-a": "1"}, "value": ...}} or {@code "valueFile"}), any other file is one
   * record whose value is the file; a folder's files are read in name order.
   *
   * <pre>
   * &lt;records&gt;src/test/records&lt;/records&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.records")
  File records;

  /**
   * The key of records that name none.
   *
   * <pre>
   * &lt;key&gt;student-42&lt;/key&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.key")
  String key;

  /**
   * Headers added to every record, {@code Name: value} entries separated by commas ({@code \\,} for
   * a comma in a value).
   *
   * <pre>
   * &lt;headers&gt;x-trace: 42&lt;/headers&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.headers")
  String headers;

  /**
   * How long to wait for the records' outcomes: {@code 30s}, {@code 2m}, {@code PT1M}.
   *
   * <pre>
   * &lt;waitTimeout&gt;2m&lt;/waitTimeout&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.waitTimeout", defaultValue = "60s")
  String waitTimeout;

  @Override
  String goal() {
    return "send";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    Duration timeout =
        Durations.parse(waitTimeout)
            .orElseThrow(
                () ->
                    Hints.invalidRequest(
                        "waitTimeout", waitTimeout, "a duration such as " + Durations.EXAMPLES));
    List<SendRecord> toSend =
        RecordFiles.read(value, records == null ? null : records.toPath(), key, headers);
    TriggerSpec spec;
    String bootstrap;
    try (Platform platform = platform(fc, false)) {
      FunctionState state =
          platform
              .describe(name)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "function", name, "deploy it first (mvn package fc:deploy)"));
      spec = SendReport.trigger(state, trigger);
      bootstrap = bootstrap(spec, platform);
    }
    // Kafka's clients log every configuration at INFO; the goal reports what matters itself.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    getLog()
        .info(
            "Sending "
                + toSend.size()
                + " record(s) to trigger "
                + spec.name()
                + " of "
                + name
                + " (topic "
                + spec.topic()
                + " on "
                + bootstrap
                + "), waiting up to "
                + timeout.toSeconds()
                + " s for their outcomes");
    List<SendOutcome> outcomes =
        new TriggerSender(bootstrap, spec, fc.events())
            .send(toSend, timeout, outcome -> SendReport.lines(outcome).forEach(getLog()::info));
    getLog().info(SendReport.summary(outcomes));
    long missing = outcomes.stream().filter(o -> o.kind() == SendOutcome.Kind.TIMED_OUT).count();
    if (missing > 0) {
      throw new FcException(
          missing + " of " + outcomes.size() + " record(s) had no outcome within " + waitTimeout,
          "check the trigger with mvn fc:status (lag, state, last error), or wait longer with"
              + " -Dfc.waitTimeout=5m");
    }
  }

  /** The trigger's own cluster, else the one the platform reports, else the environment file's. */
  private String bootstrap(TriggerSpec spec, Platform platform) {
    if (spec.bootstrapServers() != null && !spec.bootstrapServers().isBlank()) {
      return spec.bootstrapServers();
    }
    Optional<String> reported = platform.kafkaBootstrapServers();
    if (reported.isPresent()) {
      return reported.get();
    }
    Optional<String> declared =
        targetEnvironment().map(EnvironmentSpec::bootstrapServers).filter(s -> !s.isBlank());
    return declared.orElseThrow(
        () ->
            new FcException(
                "the platform of environment "
                    + env
                    + " names no Kafka cluster for trigger "
                    + spec.name(),
                "on the local runtime the embedded broker starts with the first trigger: deploy"
                    + " the function with its triggers (mvn package fc:deploy); for another"
                    + " environment set bootstrapServers in its gitops file"));
  }
}
