package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.AliasTarget;

/**
 * One alias as fc-toolkit records it on the Knative Service: its target, its revision (for
 * optimistic concurrency per alias) and the previous target (for rollback).
 */
public record AliasEntry(String name, AliasTarget target, long revision, AliasTarget previous) {
  public AliasEntry {
    requireNonNull(name, "name");
    requireNonNull(target, "target");
  }
}
