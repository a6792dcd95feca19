/** The Knative platform and manifest renderer. */
package io.fctoolkit.knative;
