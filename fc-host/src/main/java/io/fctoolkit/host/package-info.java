/** The function host: loads a Functions Framework function and serves it over HTTP. */
package io.fctoolkit.host;
