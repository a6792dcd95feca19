/** The jib-core side of image building: layers, event translation, error mapping, build.json. */
package io.fctoolkit.core.image.internal;
