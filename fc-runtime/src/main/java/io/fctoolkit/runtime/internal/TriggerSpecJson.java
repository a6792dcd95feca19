package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.fctoolkit.core.TriggerSettings;
import io.fctoolkit.core.TriggerSpec;
import java.io.IOException;
import java.util.Map;

/**
 * A trigger as one flat JSON object (its settings beside its name), the shape of the control API
 * and of the runtime's state files since the first release: {@link TriggerSpec} keeps its settings
 * in a nested {@link TriggerSettings}, and this keeps the wire and the files as they were.
 */
final class TriggerSpecJson {

  private static final String[] IDENTITY = {"name", "function", "alias", "bootstrapServers"};

  private TriggerSpecJson() {}

  static SimpleModule module() {
    return new SimpleModule("fc-trigger-spec")
        .addSerializer(TriggerSpec.class, new Writer())
        .addDeserializer(TriggerSpec.class, new Reader());
  }

  private static final class Writer extends StdSerializer<TriggerSpec> {
    Writer() {
      super(TriggerSpec.class);
    }

    @Override
    public void serialize(TriggerSpec spec, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      for (Map.Entry<String, Object> field : spec.fields().entrySet()) {
        provider.defaultSerializeField(field.getKey(), field.getValue(), gen);
      }
      gen.writeEndObject();
    }
  }

  private static final class Reader extends StdDeserializer<TriggerSpec> {
    Reader() {
      super(TriggerSpec.class);
    }

    @Override
    public TriggerSpec deserialize(JsonParser parser, DeserializationContext ctxt)
        throws IOException {
      JsonNode tree = ctxt.readTree(parser);
      if (!(tree instanceof ObjectNode object)) {
        return (TriggerSpec) ctxt.handleUnexpectedToken(TriggerSpec.class, parser);
      }
      ObjectNode settings = object.deepCopy();
      String[] identity = new String[IDENTITY.length];
      for (int i = 0; i < IDENTITY.length; i++) {
        JsonNode value = settings.remove(IDENTITY[i]);
        identity[i] = value == null || value.isNull() ? null : value.asText();
      }
      // Settings go through Jackson's record binding, so a bad field keeps its name in the path.
      TriggerSettings read = ctxt.readTreeAsValue(settings, TriggerSettings.class);
      try {
        return new TriggerSpec(identity[0], identity[1], identity[2], read, identity[3]);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw ctxt.instantiationException(TriggerSpec.class, e);
      }
    }
  }
}
