package io.fctoolkit.maven.internal.handlers;

/** Implements no function kind. */
public class NotAFunction {}
