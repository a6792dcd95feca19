/** The embedded local runtime and {@code LocalPlatform}, its client. */
package io.fctoolkit.runtime;
