package com.example;

/** Not a function: naming it as the handler must fail fc:build. */
public class Helper {
  public static String greet(String name) {
    return "Hello " + name;
  }
}
