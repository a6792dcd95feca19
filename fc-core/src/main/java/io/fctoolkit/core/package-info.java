/**
 * The platform-neutral concepts of fc-toolkit: functions, versions, releases, aliases, triggers and
 * the {@link io.fctoolkit.core.Platform} SPI that the local runtime and Knative implement.
 *
 * <p>Signatures here use JDK types and this package's records only, so that no Maven, Kafka, jib or
 * fabric8 type leaks out of the module that owns it.
 */
package io.fctoolkit.core;
