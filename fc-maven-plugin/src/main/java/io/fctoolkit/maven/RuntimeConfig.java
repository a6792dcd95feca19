package io.fctoolkit.maven;

/**
 * Where the local runtime is: {@code <runtime><url>}, {@code <runtime><stateDir>}, {@code
 * <runtime><port>}, or {@code -Dfc.runtime.url}, {@code -Dfc.runtime.stateDir}, {@code
 * -Dfc.runtime.port}.
 */
public class RuntimeConfig {

  /** The control API's URL; unset: the runtime recorded in the state folder. */
  private String url;

  /** The runtime's state folder; unset: {@code FC_STATE_DIR}, else {@code ~/.fc-toolkit/local}. */
  private String stateDir;

  /** The port a runtime started by the plugin listens on; unset: 8765. */
  private String port;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getStateDir() {
    return stateDir;
  }

  public void setStateDir(String stateDir) {
    this.stateDir = stateDir;
  }

  public String getPort() {
    return port;
  }

  public void setPort(String port) {
    this.port = port;
  }
}
