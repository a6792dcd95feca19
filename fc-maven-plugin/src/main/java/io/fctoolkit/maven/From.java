package io.fctoolkit.maven;

/**
 * The base image, configured as {@code <from><image>...</image></from>} or {@code
 * -Dfc.from.image=...}.
 */
public class From {

  /** The base image reference, or {@code scratch}. */
  private String image;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }
}
