package io.fctoolkit.core.image;

import io.fctoolkit.core.FcException;

/** The image could not be built on this machine: files, cache or the base image went wrong. */
public class ImageBuildException extends FcException {

  private static final long serialVersionUID = 1L;

  public ImageBuildException(String message, String hint, Throwable cause) {
    super(message, hint, cause);
  }
}
