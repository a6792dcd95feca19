/**
 * The plugin's plain parts, tested without Maven: configuration-to-request mapping, hints, error
 * mapping and the event-to-log adapter.
 */
package io.fctoolkit.maven.internal;
