/**
 * Builds a function's OCI image with jib-core, daemonless and reproducibly, to a registry or to an
 * OCI archive for the local runtime.
 *
 * <p>The entry point is {@link io.fctoolkit.core.image.FunctionImageBuilder}. Its signatures use
 * JDK types and fc-toolkit records only; jib stays inside this package's {@code internal} package.
 * The layout (layers, entrypoint, labels) is the one pinned in {@code docs/architecture.md} section
 * 4.
 */
package io.fctoolkit.core.image;
