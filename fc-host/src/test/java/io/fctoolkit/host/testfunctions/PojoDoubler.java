package io.fctoolkit.host.testfunctions;

/** A typed function over a plain class with fields, through a generic base class. */
public class PojoDoubler extends TypedBase<PojoDoubler.Numbers> {
  public static class Numbers {
    public long value;
    public double factor = 2;
    transient String ignored = "x";
  }

  @Override
  public Numbers apply(Numbers in) {
    Numbers out = new Numbers();
    out.value = (long) (in.value * in.factor);
    out.factor = in.factor;
    return out;
  }
}
