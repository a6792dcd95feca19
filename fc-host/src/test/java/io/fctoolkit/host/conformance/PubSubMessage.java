package io.fctoolkit.host.conformance;

import java.util.Map;

/** The payload of a Pub/Sub background function, as Google's samples declare it. */
public class PubSubMessage {
  String data;
  Map<String, String> attributes;
  String messageId;
  String publishTime;
}
