package io.fctoolkit.maven.internal;

import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import java.util.Map;
import java.util.Set;

/**
 * Every "perhaps you should..." of the plugin in one place: which pom element and which {@code
 * -Dfc.*} property set a value, with an example.
 */
public final class Hints {

  /** Where a parameter is set. */
  record Parameter(String element, String property, String example) {

    /** What the user calls it: the pom element, or the property when there is none. */
    String label() {
      return element != null ? element : "-D" + property;
    }

    /** {@code fix <x> in pom.xml or pass -Dfc.x=example}, or only the property without element. */
    String setBy(String verb, String preposition) {
      String pass = "pass -D" + property + "=" + example;
      return element == null
          ? pass
          : verb + " " + element + " " + preposition + " pom.xml or " + pass;
    }
  }

  // Keys are the parameter names used in InvalidRequestException.field(), ours and fc-core's.
  private static final Map<String, Parameter> PARAMETERS =
      Map.ofEntries(
          Map.entry("function", new Parameter("<function>", "fc.function", "grader")),
          Map.entry("handler", new Parameter("<handler>", "fc.handler", "com.example.Grader")),
          Map.entry(
              "image", new Parameter("<image>", "fc.image", "registry.example.com/team/grader")),
          Map.entry(
              "baseImage",
              new Parameter(
                  "<from><image>", "fc.from.image", "eclipse-temurin:17-jre@sha256:<digest>")),
          Map.entry(
              "allowInsecureRegistries",
              new Parameter("<allowInsecureRegistries>", "fc.allowInsecureRegistries", "true")),
          Map.entry(
              "creationTime",
              new Parameter("<creationTime>", "fc.creationTime", "2026-01-01T00:00:00Z")),
          Map.entry("memory", new Parameter("<memory>", "fc.memory", "512")),
          Map.entry("concurrency", new Parameter("<concurrency>", "fc.concurrency", "10")),
          Map.entry("timeout", new Parameter("<timeout>", "fc.timeout", "60s")),
          Map.entry(
              "variables",
              new Parameter("<variables>", "fc.variables", "GREETING=hello,LEVEL=debug")),
          Map.entry("minInstances", new Parameter("<minInstances>", "fc.minInstances", "0")),
          Map.entry("maxInstances", new Parameter("<maxInstances>", "fc.maxInstances", "10")),
          Map.entry("idleTimeout", new Parameter("<idleTimeout>", "fc.idleTimeout", "5m")),
          Map.entry("standby", new Parameter("<standby>", "fc.standby", "1")),
          Map.entry(
              "runtime.stateDir",
              new Parameter(
                  "<runtime><stateDir>", "fc.runtime.stateDir", "${user.home}/.fc-toolkit/local")),
          Map.entry("env", new Parameter("<env>", "fc.env", "local")),
          Map.entry("alias", new Parameter("<alias>", "fc.alias", "dev")),
          Map.entry("version", new Parameter("<version>", "fc.version", "3")),
          Map.entry("release", new Parameter("<release>", "fc.release", "2026-11-22.1")),
          Map.entry("weight", new Parameter("<weight>", "fc.weight", "10")),
          Map.entry("affinity", new Parameter("<affinity>", "fc.affinity", "key")),
          Map.entry(
              "runtime.url",
              new Parameter("<runtime><url>", "fc.runtime.url", "http://127.0.0.1:8765")),
          Map.entry("runtime.port", new Parameter("<runtime><port>", "fc.runtime.port", "8765")),
          Map.entry("payload", new Parameter("<payload>", "fc.payload", "'{\"name\":\"fc\"}'")),
          Map.entry(
              "payloadFile",
              new Parameter("<payloadFile>", "fc.payloadFile", "src/test/event.json")),
          Map.entry("gitops", new Parameter("<gitops>", "fc.gitops", "path/to/gitops")),
          // Read with -D only (no pom element): the branch promotions start from.
          Map.entry("git.baseBranch", new Parameter(null, "fc.git.baseBranch", "main")),
          Map.entry("init.ci", new Parameter("<ci>", "fc.init.ci", "jenkins")),
          Map.entry("method", new Parameter("<method>", "fc.method", "PUT")),
          Map.entry("path", new Parameter("<path>", "fc.path", "/items/3")),
          Map.entry("headers", new Parameter("<headers>", "fc.headers", "'x-trace: 42'")),
          Map.entry("contentType", new Parameter("<contentType>", "fc.contentType", "text/plain")),
          Map.entry(
              "cloudEvent.type",
              new Parameter("<cloudEvent><type>", "fc.cloudEvent.type", "com.example.created")),
          Map.entry(
              "cloudEvent.source",
              new Parameter(
                  "<cloudEvent><source>", "fc.cloudEvent.source", "//example.com/submissions")),
          Map.entry(
              "cloudEvent.mode",
              new Parameter("<cloudEvent><mode>", "fc.cloudEvent.mode", "structured")),
          Map.entry("trigger", new Parameter("<trigger>", "fc.trigger", "submissions")),
          Map.entry("records", new Parameter("<records>", "fc.records", "src/test/records.jsonl")),
          Map.entry("value", new Parameter("<value>", "fc.value", "'{\"id\":1}'")),
          Map.entry("waitTimeout", new Parameter("<waitTimeout>", "fc.waitTimeout", "60s")),
          Map.entry("follow", new Parameter("<follow>", "fc.follow", "true")),
          Map.entry("lines", new Parameter("<lines>", "fc.lines", "100")));

  /** What {@code fc:status} lists, so a "not found" of these points at it. */
  private static final Set<String> STATUS_LISTS = Set.of("function", "version", "alias", "trigger");

  private Hints() {}

  /** {@code Invalid <handler> 'value': problem; perhaps you should ...}. */
  public static String invalid(String key, String value, String problem) {
    Parameter parameter = parameter(key);
    return "Invalid "
        + parameter.label()
        + " '"
        + value
        + "': "
        + problem
        + "; perhaps you should "
        + parameter.setBy("fix", "in");
  }

  /** A missing parameter, thrown where a mapping finds it; {@link #describe} renders it. */
  public static InvalidRequestException missingRequest(String key, String what) {
    Parameter parameter = parameter(key);
    return new MissingParameterException(
        key, what, "Missing " + what + ", perhaps you should " + parameter.setBy("add", "to"));
  }

  /**
   * A parameter that is not set. Its message is the whole sentence, so that Maven, which appends a
   * cause's message it does not find in the error's, prints it once.
   */
  static final class MissingParameterException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;
    private final String sentence;

    MissingParameterException(String key, String what, String sentence) {
      super(key, "missing " + what, null);
      this.sentence = sentence;
    }

    @Override
    public String getMessage() {
      return sentence;
    }
  }

  /** A configuration mistake, thrown where a mapping finds one; {@link #describe} renders it. */
  public static InvalidRequestException invalidRequest(String key, String value, String problem) {
    return new InvalidRequestException(key, "'" + value + "': " + problem, null);
  }

  /** {@code alias} when it is a valid alias name, else an error naming {@code <alias>}. */
  public static String aliasName(String alias) {
    try {
      io.fctoolkit.core.Alias.checkName(alias);
      return alias;
    } catch (IllegalArgumentException e) {
      throw invalidRequest("alias", alias, e.getMessage());
    }
  }

  /**
   * The full text for the user: what failed, how to fix it, and, in Maven's words, where the
   * setting it names is set. Libraries name a setting ({@link FcException#setting()} or an invalid
   * request's field) and never write {@code fc:} goals or {@code -Dfc.} properties themselves.
   */
  public static String describe(FcException error) {
    if (error instanceof MissingParameterException missing) {
      return missing.getMessage();
    }
    StringBuilder text = new StringBuilder(error.describe());
    String setting =
        error instanceof InvalidRequestException invalid ? invalid.field() : error.setting();
    if (setting != null && PARAMETERS.containsKey(setting)) {
      Parameter parameter = PARAMETERS.get(setting);
      text.append(error.hint() == null ? "; perhaps you should " : "; or ")
          .append(parameter.setBy("set", "in"));
    }
    if ("git.token".equals(setting)) {
      text.append("; ").append(GitCredentials.SOURCES);
    }
    if (error instanceof ConflictException) {
      text.append(" (fc:status shows the current state)");
    } else if (error instanceof NotFoundException missing
        && STATUS_LISTS.contains(missing.kind())) {
      text.append(" (fc:status lists them)");
    }
    return text.toString();
  }

  /** The property that sets a parameter, e.g. {@code fc.from.image} for {@code baseImage}. */
  public static String property(String key) {
    return parameter(key).property();
  }

  private static Parameter parameter(String key) {
    Parameter parameter = PARAMETERS.get(key);
    if (parameter == null) {
      throw new IllegalArgumentException("no hint for parameter " + key);
    }
    return parameter;
  }
}
