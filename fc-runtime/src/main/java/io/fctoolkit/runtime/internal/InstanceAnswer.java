package io.fctoolkit.runtime.internal;

import java.util.Map;

/**
 * What an instance answered to one forwarded request.
 *
 * @param status the HTTP status
 * @param headers names in lower case, the values of a repeated header joined with commas
 * @param body the whole body (empty when none)
 */
public record InstanceAnswer(int status, Map<String, String> headers, byte[] body) {
  public InstanceAnswer {
    headers = Map.copyOf(headers);
  }
}
