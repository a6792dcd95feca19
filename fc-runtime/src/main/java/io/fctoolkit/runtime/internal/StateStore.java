package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The durable state of the runtime: functions, versions, aliases and triggers, kept in memory and
 * written as one JSON file after every change (write, fsync, rename), so a {@code kill -9} at any
 * moment leaves the previous or the next state, never a torn one.
 *
 * <p>All methods are synchronized: changes are rare, and one lock keeps checks and writes together
 * (a revision check and the write it guards can never interleave with another change).
 */
public final class StateStore {

  /** What the state file holds. */
  public record Document(int schema, List<FunctionEntry> functions) {
    public Document {
      functions = functions == null ? List.of() : List.copyOf(functions);
    }
  }

  /**
   * One function in the state file.
   *
   * @param name the function's name
   * @param config the configuration last put with {@code PUT /v1/functions/{f}}, or null
   * @param versions versions by number
   * @param aliases aliases
   * @param triggers triggers
   */
  public record FunctionEntry(
      String name,
      FunctionConfig config,
      List<Version> versions,
      List<Alias> aliases,
      List<TriggerSpec> triggers) {
    public FunctionEntry {
      versions = versions == null ? List.of() : List.copyOf(versions);
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
      triggers = triggers == null ? List.of() : List.copyOf(triggers);
    }

    FunctionState toState() {
      return new FunctionState(name, versions, aliases, triggers);
    }
  }

  private static final int SCHEMA = 1;

  private final Path file;
  private final Map<String, FunctionEntry> functions = new TreeMap<>();

  private StateStore(Path file) {
    this.file = file;
  }

  /** Loads {@code state.json} from {@code stateDir}, or starts empty. */
  public static StateStore open(Path stateDir) throws IOException {
    StateStore store = new StateStore(stateDir.resolve("state.json"));
    if (Files.exists(store.file)) {
      Document doc = RuntimeJson.MAPPER.readValue(store.file.toFile(), Document.class);
      if (doc.schema() != SCHEMA) {
        throw new IOException(
            "state file " + store.file + " has schema " + doc.schema() + ", expected " + SCHEMA);
      }
      for (FunctionEntry entry : doc.functions()) {
        store.functions.put(entry.name(), entry);
      }
    }
    return store;
  }

  public synchronized List<String> functionNames() {
    return List.copyOf(functions.keySet());
  }

  public synchronized Optional<FunctionEntry> function(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  /**
   * The function named {@code name}.
   *
   * @throws NotFoundException when there is none
   */
  public FunctionEntry requireFunction(String name) {
    return function(name).orElseThrow(() -> functionNotFound(name));
  }

  /** The error for a function that does not exist. */
  public static NotFoundException functionNotFound(String name) {
    return new NotFoundException(
        "function", name, "list functions with GET /v1/functions, or publish a version first");
  }

  /**
   * Version {@code number} of {@code entry}.
   *
   * @throws NotFoundException naming the versions the function has, when it has no such one
   */
  public static Version requireVersion(FunctionEntry entry, int number) {
    return entry
        .toState()
        .version(number)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "version",
                    entry.name() + " v" + number,
                    "function '"
                        + entry.name()
                        + "' has versions "
                        + entry.versions().stream().map(v -> "v" + v.number()).toList()));
  }

  /** The error for an alias that {@code function} does not have. */
  public static NotFoundException aliasNotFound(String function, String alias) {
    return new NotFoundException(
        "alias",
        function + "/" + alias,
        "create it with PUT /v1/functions/" + function + "/aliases/" + alias);
  }

  public synchronized Optional<FunctionState> describe(String name) {
    return function(name).map(FunctionEntry::toState);
  }

  public synchronized List<FunctionEntry> all() {
    return List.copyOf(functions.values());
  }

  /**
   * Applies {@code change} to a function (created empty if missing) and persists the result. If
   * writing fails, memory is rolled back, so nothing is half-applied.
   */
  public synchronized FunctionEntry update(
      String name, java.util.function.UnaryOperator<FunctionEntry> change) {
    FunctionEntry before = functions.get(name);
    FunctionEntry base =
        before != null ? before : new FunctionEntry(name, null, List.of(), List.of(), List.of());
    FunctionEntry after = change.apply(base);
    if (after == null) {
      functions.remove(name);
    } else {
      functions.put(name, after);
    }
    try {
      persist();
    } catch (IOException e) {
      if (before == null) {
        functions.remove(name);
      } else {
        functions.put(name, before);
      }
      throw new UncheckedIOException("could not write " + file, e);
    }
    return after;
  }

  /** Runs {@code reader} under the state lock, for checks that must see one consistent state. */
  public synchronized void read(Consumer<Map<String, FunctionEntry>> reader) {
    reader.accept(java.util.Collections.unmodifiableMap(functions));
  }

  private void persist() throws IOException {
    List<FunctionEntry> list = new ArrayList<>(functions.values());
    list.sort(Comparator.comparing(FunctionEntry::name));
    byte[] bytes =
        RuntimeJson.MAPPER
            .writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(new Document(SCHEMA, list));
    AtomicFiles.write(file, bytes, true);
  }

  // Small helpers that build modified copies of an entry.

  static FunctionEntry withVersion(FunctionEntry e, Version v) {
    List<Version> versions = new ArrayList<>(e.versions());
    versions.add(v);
    versions.sort(Comparator.comparingInt(Version::number));
    return new FunctionEntry(e.name(), e.config(), versions, e.aliases(), e.triggers());
  }

  static FunctionEntry withoutVersion(FunctionEntry e, int number) {
    List<Version> versions = new ArrayList<>(e.versions());
    versions.removeIf(v -> v.number() == number);
    return new FunctionEntry(e.name(), e.config(), versions, e.aliases(), e.triggers());
  }

  static FunctionEntry withAlias(FunctionEntry e, Alias alias) {
    List<Alias> aliases = new ArrayList<>(e.aliases());
    aliases.removeIf(a -> a.name().equals(alias.name()));
    aliases.add(alias);
    aliases.sort(Comparator.comparing(Alias::name));
    return new FunctionEntry(e.name(), e.config(), e.versions(), aliases, e.triggers());
  }

  static FunctionEntry withoutAlias(FunctionEntry e, String alias) {
    List<Alias> aliases = new ArrayList<>(e.aliases());
    aliases.removeIf(a -> a.name().equals(alias));
    return new FunctionEntry(e.name(), e.config(), e.versions(), aliases, e.triggers());
  }

  static FunctionEntry withTrigger(FunctionEntry e, TriggerSpec trigger) {
    List<TriggerSpec> triggers = new ArrayList<>(e.triggers());
    triggers.removeIf(t -> t.name().equals(trigger.name()));
    triggers.add(trigger);
    triggers.sort(Comparator.comparing(TriggerSpec::name));
    return new FunctionEntry(e.name(), e.config(), e.versions(), e.aliases(), triggers);
  }

  static FunctionEntry withoutTrigger(FunctionEntry e, String trigger) {
    List<TriggerSpec> triggers = new ArrayList<>(e.triggers());
    triggers.removeIf(t -> t.name().equals(trigger));
    return new FunctionEntry(e.name(), e.config(), e.versions(), e.aliases(), triggers);
  }

  static FunctionEntry withConfig(FunctionEntry e, FunctionConfig config) {
    return new FunctionEntry(e.name(), config, e.versions(), e.aliases(), e.triggers());
  }
}
