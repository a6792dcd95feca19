package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.maven.internal.ImageRequests;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Prints a link to the local runtime's live dashboard of the function (lag per partition next to
 * invocations, errors, latency, instances, alias moves and dead letters, on one time axis), or
 * opens it in the browser with {@code -Dfc.open}. The link works once, within two minutes: it
 * carries a one-time code that the page trades for a session cookie, never the runtime's token.
 * Skipped with {@code -Dfc.dashboard.skip=true}.
 *
 * @since 0.1.0
 */
@Mojo(name = "dashboard", threadSafe = true)
public class DashboardMojo extends AbstractFcMojo {

  /**
   * Opens the link in the desktop's browser ({@code xdg-open}, or {@code open} on macOS) instead of
   * printing it.
   *
   * <pre>
   * &lt;open&gt;true&lt;/open&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.open", defaultValue = "false")
  boolean open;

  @Override
  String goal() {
    return "dashboard";
  }

  @Override
  void run(FcContext fc) throws Exception {
    String name = ImageRequests.functionName(function, project.getArtifactId());
    try (Platform platform = platform(fc, false)) {
      platform
          .describe(name)
          .orElseThrow(
              () -> new NotFoundException("function", name, "deploy it first with mvn fc:deploy"));
      URI link =
          platform
              .dashboardLink(name)
              .orElseThrow(
                  () ->
                      new FcException(
                          platform.target() + " serves no dashboard",
                          "the local runtime serves one (-Dfc.env=local); on other platforms use"
                              + " their own monitoring"));
      if (open && browse(link)) {
        getLog().info("Opened the dashboard of " + name + " in the browser");
        return;
      }
      getLog().info("Dashboard of " + name + " (the link works once, within 2 minutes):");
      getLog().info("  " + link);
    }
  }

  /** Starts the desktop's opener; false (and the link is printed) when there is none. */
  private boolean browse(URI link) {
    boolean mac =
        System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");
    List<String> command = List.of(mac ? "open" : "xdg-open", link.toString());
    try {
      Process opener =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      opener.getOutputStream().close();
      return true;
    } catch (IOException e) {
      getLog().warn("Could not open a browser (" + command.get(0) + ": " + e.getMessage() + ")");
      return false;
    }
  }
}
