package io.fctoolkit.core;

/** A function, version, alias, trigger or release that does not exist. */
public class NotFoundException extends FcException {

  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String name;

  public NotFoundException(String kind, String name, String hint) {
    this(kind, name, hint, null);
  }

  /** Not found where {@code setting} points; the front end says where that is set. */
  public NotFoundException(String kind, String name, String hint, String setting) {
    super(kind + " '" + name + "' not found", hint, setting, null);
    this.kind = kind;
    this.name = name;
  }

  /** e.g. {@code function}, {@code alias}, {@code version}. */
  public String kind() {
    return kind;
  }

  /** The name that was not found. */
  public String name() {
    return name;
  }
}
