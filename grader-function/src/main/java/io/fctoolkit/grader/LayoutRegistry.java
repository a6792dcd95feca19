package io.fctoolkit.grader;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The known worksheet layouts, by name and by fiducial code, loaded from a JSON resource. */
public final class LayoutRegistry {

  /** Classpath location of the built-in layouts. */
  public static final String RESOURCE = "/io/fctoolkit/grader/layouts.json";

  private final Map<String, Layout> byName = new LinkedHashMap<>();
  private final Map<Integer, Layout> byCode = new LinkedHashMap<>();

  /** A registry holding {@code layouts}; names and codes must be unique. */
  public LayoutRegistry(Collection<Layout> layouts) {
    for (Layout layout : layouts) {
      if (byName.put(layout.name(), layout) != null) {
        throw new IllegalArgumentException("duplicate layout name " + layout.name());
      }
      if (byCode.put(layout.code(), layout) != null) {
        throw new IllegalArgumentException("duplicate layout code " + layout.code());
      }
    }
  }

  /** The built-in layouts of {@value #RESOURCE}. */
  public static LayoutRegistry builtIn() {
    try (InputStream in = LayoutRegistry.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Reads {@code {"layouts":[...]}} from {@code json}. */
  public static LayoutRegistry fromJson(InputStream json) throws IOException {
    var mapper =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    LayoutFile file = mapper.readValue(json, LayoutFile.class);
    return new LayoutRegistry(file.layouts());
  }

  /** The layout named {@code name}, if known. */
  public Optional<Layout> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The layout whose fiducials carry {@code code}, if known. */
  public Optional<Layout> byCode(int code) {
    return Optional.ofNullable(byCode.get(code));
  }

  /** All layouts in registration order. */
  public List<Layout> all() {
    return List.copyOf(byName.values());
  }

  private record LayoutFile(List<Layout> layouts) {}
}
