package io.fctoolkit.core.gitops.internal;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A YAML parser that refuses collections nested deeper than {@link #MAX_DEPTH}. snakeyaml-engine's
 * composer recurses once per level and has no depth setting, so a few kilobytes of {@code [[[...}
 * would otherwise end in a StackOverflowError; gitops files need fewer than ten levels.
 */
final class NestingLimitedParser implements Parser {

  static final int MAX_DEPTH = 64;

  private final Parser delegate;
  private int depth;

  NestingLimitedParser(LoadSettings settings, String text) {
    this.delegate = new ParserImpl(settings, new StreamReader(settings, text));
  }

  @Override
  public boolean checkEvent(Event.ID id) {
    return delegate.checkEvent(id);
  }

  @Override
  public Event peekEvent() {
    return delegate.peekEvent();
  }

  @Override
  public boolean hasNext() {
    return delegate.hasNext();
  }

  @Override
  public Event next() {
    Event event = delegate.next();
    switch (event.getEventId()) {
      case SequenceStart, MappingStart -> {
        if (++depth > MAX_DEPTH) {
          throw new ComposerException(
              "",
              Optional.empty(),
              "nesting deeper than " + MAX_DEPTH + " levels",
              event.getStartMark());
        }
      }
      case SequenceEnd, MappingEnd -> depth--;
      default -> {
        // Scalars, aliases and document or stream boundaries do not nest.
      }
    }
    return event;
  }
}
