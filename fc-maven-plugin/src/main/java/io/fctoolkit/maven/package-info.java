/** Thin Maven goals over fc-core, fc-runtime and fc-knative. */
package io.fctoolkit.maven;
