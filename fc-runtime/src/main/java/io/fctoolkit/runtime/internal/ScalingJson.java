package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.Scaling;
import java.io.IOException;

/**
 * Reads {@link Scaling} with {@code standby} defaulting to {@link Scaling#DEFAULT_STANDBY}: state
 * written before the field existed has none, and Jackson would read a missing {@code int} as 0
 * (standby off, and another content hash than the one recorded).
 */
final class ScalingJson {

  private ScalingJson() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("fc-scaling");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config, BeanDescription desc, JsonDeserializer<?> original) {
            return desc.getBeanClass() == Scaling.class ? new WithStandby(original) : original;
          }
        });
    return module;
  }

  private static final class WithStandby extends DelegatingDeserializer {
    WithStandby(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new WithStandby(delegate);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(parser);
      if (tree instanceof ObjectNode o && !o.has("standby")) {
        o.put("standby", Scaling.DEFAULT_STANDBY);
      }
      try (JsonParser again = tree.traverse(parser.getCodec())) {
        again.nextToken();
        return _delegatee.deserialize(again, ctxt);
      }
    }
  }
}
