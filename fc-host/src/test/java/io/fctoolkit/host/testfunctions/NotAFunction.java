package io.fctoolkit.host.testfunctions;

/** Implements no function interface. */
public class NotAFunction {}
