package io.fctoolkit.knative;

import io.fctoolkit.core.InvalidRequestException;
import java.util.List;
import java.util.stream.Collectors;

/** A request that asks for something Knative cannot express; nothing was applied or rendered. */
public class UnsupportedOnKnativeException extends InvalidRequestException {

  private static final long serialVersionUID = 1L;

  private final transient List<KnativeFinding> findings;

  public UnsupportedOnKnativeException(List<KnativeFinding> findings) {
    super(
        findings.stream().filter(KnativeFinding::isError).findFirst().orElseThrow().field(),
        findings.stream()
            .filter(KnativeFinding::isError)
            .map(f -> f.field() + ": " + f.message())
            .collect(Collectors.joining("; ")),
        "change the gitops spec as the message says, or use the local platform for this feature");
    this.findings = List.copyOf(findings);
  }

  /** All findings, errors and warnings. */
  public List<KnativeFinding> findings() {
    return findings;
  }

  /** Throws when any finding is an error. */
  public static void throwIfErrors(List<KnativeFinding> findings) {
    if (findings.stream().anyMatch(KnativeFinding::isError)) {
      throw new UnsupportedOnKnativeException(findings);
    }
  }
}
