package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

/**
 * The one place where failures become Maven exceptions: configuration mistakes (wrong or missing
 * parameters, versions or aliases that do not exist) fail the build with {@link
 * MojoFailureException}; environment problems (registry or runtime down, disk, conflicts with
 * another pipeline) with {@link MojoExecutionException}. The cause is always kept.
 */
public final class MojoErrors {

  private MojoErrors() {}

  /** Maps any failure of goal {@code goal}; restores the interrupt flag for interruptions. */
  public static Exception map(String goal, Throwable error) {
    if (error instanceof MojoFailureException || error instanceof MojoExecutionException) {
      return (Exception) error;
    }
    if (error instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new MojoExecutionException("fc:" + goal + " was interrupted", error);
    }
    if (error instanceof InvalidRequestException || error instanceof NotFoundException) {
      return new MojoFailureException(Hints.describe((FcException) error), error);
    }
    if (error instanceof FcException fc) {
      return new MojoExecutionException(Hints.describe(fc), error);
    }
    return new MojoExecutionException("fc:" + goal + " failed unexpectedly: " + error, error);
  }
}
