package io.fctoolkit.maven.internal.handlers;

import com.google.cloud.functions.TypedFunction;

/** An abstract typed function. */
public abstract class AbstractGreeter implements TypedFunction<String, String> {}
