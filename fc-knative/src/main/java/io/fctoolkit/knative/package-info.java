/**
 * The Knative platform and manifest renderer: {@link io.fctoolkit.knative.KnativePlatform}
 * implements fc-core's {@link io.fctoolkit.core.Platform} over fabric8, and {@link
 * io.fctoolkit.knative.KnativeRenderer} writes the same objects as deterministic YAML for Argo CD
 * or Flux. See {@code docs/knative.md}.
 */
package io.fctoolkit.knative;
