package io.fctoolkit.host.internal;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The host's own immutable {@link CloudEvent}, so that fc-host needs only the CloudEvents API jar
 * (a dependency of the Functions Framework API) and not the CloudEvents SDK.
 */
final class HostCloudEvent implements CloudEvent {
  private final SpecVersion specVersion;
  private final String id;
  private final String type;
  private final URI source;
  private final String dataContentType;
  private final URI dataSchema;
  private final String subject;
  private final OffsetDateTime time;
  private final byte[] data;
  private final Map<String, Object> extensions;

  HostCloudEvent(
      SpecVersion specVersion,
      String id,
      String type,
      URI source,
      String dataContentType,
      URI dataSchema,
      String subject,
      OffsetDateTime time,
      byte[] data,
      Map<String, Object> extensions) {
    this.specVersion = specVersion;
    this.id = id;
    this.type = type;
    this.source = source;
    this.dataContentType = dataContentType;
    this.dataSchema = dataSchema;
    this.subject = subject;
    this.time = time;
    this.data = data;
    this.extensions = Collections.unmodifiableMap(extensions);
  }

  @Override
  public CloudEventData getData() {
    if (data == null) {
      return null;
    }
    final byte[] copy = data.clone();
    return new CloudEventData() {
      @Override
      public byte[] toBytes() {
        return copy.clone();
      }

      @Override
      public String toString() {
        return new String(copy, StandardCharsets.UTF_8);
      }
    };
  }

  @Override
  public SpecVersion getSpecVersion() {
    return specVersion;
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public String getType() {
    return type;
  }

  @Override
  public URI getSource() {
    return source;
  }

  @Override
  public String getDataContentType() {
    return dataContentType;
  }

  @Override
  public URI getDataSchema() {
    return dataSchema;
  }

  @Override
  public String getSubject() {
    return subject;
  }

  @Override
  public OffsetDateTime getTime() {
    return time;
  }

  @Override
  public Object getAttribute(String name) {
    switch (name) {
      case "specversion":
        return specVersion;
      case "id":
        return id;
      case "type":
        return type;
      case "source":
        return source;
      case "datacontenttype":
        return dataContentType;
      case "dataschema":
      case "schemaurl":
        return dataSchema;
      case "subject":
        return subject;
      case "time":
        return time;
      default:
        throw new IllegalArgumentException(
            "Spec version " + specVersion + " has no attribute named " + name);
    }
  }

  @Override
  public Object getExtension(String name) {
    return extensions.get(name);
  }

  @Override
  public Set<String> getExtensionNames() {
    return extensions.keySet();
  }

  @Override
  public Set<String> getAttributeNames() {
    return new LinkedHashSet<>(specVersion.getAllAttributes());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostCloudEvent)) {
      return false;
    }
    HostCloudEvent other = (HostCloudEvent) o;
    return specVersion == other.specVersion
        && id.equals(other.id)
        && type.equals(other.type)
        && source.equals(other.source)
        && Objects.equals(dataContentType, other.dataContentType)
        && Objects.equals(dataSchema, other.dataSchema)
        && Objects.equals(subject, other.subject)
        && Objects.equals(time, other.time)
        && Arrays.equals(data, other.data)
        && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, source);
  }

  @Override
  public String toString() {
    return "CloudEvent{id='"
        + id
        + "', source="
        + source
        + ", type='"
        + type
        + "', datacontenttype='"
        + dataContentType
        + "', subject='"
        + subject
        + "', time="
        + time
        + ", extensions="
        + extensions
        + ", data="
        + (data == null ? "null" : data.length + " bytes")
        + "}";
  }
}
