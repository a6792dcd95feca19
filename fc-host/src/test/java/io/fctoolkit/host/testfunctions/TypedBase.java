package io.fctoolkit.host.testfunctions;

import com.google.cloud.functions.TypedFunction;

/** The request type of a subclass is only known through this generic superclass. */
public abstract class TypedBase<T> implements TypedFunction<T, PojoDoubler.Numbers> {}
