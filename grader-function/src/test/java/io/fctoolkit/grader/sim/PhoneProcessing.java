package io.fctoolkit.grader.sim;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.struct.image.GrayF32;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

/**
 * What a phone does to the light before the JPEG is written: a Bayer mosaic with sensor noise and
 * bilinear demosaicing (colour fringes on thin strokes), local HDR tone mapping (shadows lifted,
 * local contrast changed), unsharp-mask sharpening (halos beside edges), and the picture stored in
 * sensor orientation with an EXIF orientation tag.
 */
final class PhoneProcessing {

  private PhoneProcessing() {}

  /**
   * The parameters of one phone.
   *
   * @param hdr tone-mapping strength (0 none, 0.5 strong)
   * @param sharpen unsharp-mask amount
   * @param sharpenSigma unsharp-mask radius in pixels
   * @param orientation EXIF orientation: 1, 3, 6 or 8
   */
  record Phone(double hdr, double sharpen, double sharpenSigma, int orientation) {
    static Phone random(SplittableRandom rnd) {
      int[] orientations = {1, 3, 6, 8};
      return new Phone(
          0.2 + rnd.nextDouble() * 0.3,
          0.5 + rnd.nextDouble() * 1.2,
          0.8 + rnd.nextDouble() * 1.4,
          orientations[rnd.nextInt(orientations.length)]);
    }

    /** Demosaicing and strong sharpening only: no tone mapping, upright. */
    static Phone sharpening(SplittableRandom rnd) {
      return new Phone(0, 1.0 + rnd.nextDouble() * 1.2, 0.8 + rnd.nextDouble() * 1.4, 1);
    }

    String describe() {
      return String.format(
          " phone(hdr=%.2f sharpen=%.2f/%.1fpx exif=%d)", hdr, sharpen, sharpenSigma, orientation);
    }
  }

  /**
   * Develops the scene (linear-ish RGB planes, 0-255) the way a phone would, with sensor noise of
   * {@code noise} grey levels, into an image stored in sensor orientation.
   */
  static BufferedImage develop(
      GrayF32 r, GrayF32 g, GrayF32 b, double noise, Phone phone, SplittableRandom rnd) {
    int w = r.width;
    int h = r.height;
    // Bayer RGGB mosaic with noise, then bilinear demosaicing.
    var raw = new GrayF32(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        boolean evenRow = (y & 1) == 0;
        boolean evenCol = (x & 1) == 0;
        float v = evenRow && evenCol ? r.data[i] : !evenRow && !evenCol ? b.data[i] : g.data[i];
        raw.data[i] = (float) (v + rnd.nextGaussian() * noise);
      }
    }
    demosaic(raw, r, g, b);
    // HDR: gain from a heavily blurred luminance, computed at 1/8 resolution for speed.
    int sw = Math.max(1, w / 8);
    int sh = Math.max(1, h / 8);
    var small = new GrayF32(sw, sh);
    double total = 0;
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < sw; x++) {
        int i = Math.min(h - 1, y * 8 + 4) * w + Math.min(w - 1, x * 8 + 4);
        float lum = (r.data[i] + 2 * g.data[i] + b.data[i]) / 4;
        small.data[y * sw + x] = lum;
        total += lum;
      }
    }
    double meanLum = total / (sw * sh);
    var base = BlurImageOps.gaussian(small, null, Math.max(2, Math.min(sw, sh) * 0.06), -1, null);
    for (int y = 0; y < h; y++) {
      float fy = Math.min(sh - 1.001f, Math.max(0, (y - 4) / 8f));
      int y0 = (int) fy;
      float ay = fy - y0;
      for (int x = 0; x < w; x++) {
        float fx = Math.min(sw - 1.001f, Math.max(0, (x - 4) / 8f));
        int x0 = (int) fx;
        float ax = fx - x0;
        int y1 = Math.min(sh - 1, y0 + 1);
        int x1 = Math.min(sw - 1, x0 + 1);
        float l =
            (base.data[y0 * sw + x0] * (1 - ax) + base.data[y0 * sw + x1] * ax) * (1 - ay)
                + (base.data[y1 * sw + x0] * (1 - ax) + base.data[y1 * sw + x1] * ax) * ay;
        float gain = (float) Math.pow((l + 8) / (meanLum + 8), -phone.hdr());
        int i = y * w + x;
        r.data[i] *= gain;
        g.data[i] *= gain;
        b.data[i] *= gain;
      }
    }
    sharpen(r, phone);
    sharpen(g, phone);
    sharpen(b, phone);
    return orient(r, g, b, phone.orientation());
  }

  private static void demosaic(GrayF32 raw, GrayF32 r, GrayF32 g, GrayF32 b) {
    int w = raw.width;
    int h = raw.height;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean evenRow = (y & 1) == 0;
        boolean evenCol = (x & 1) == 0;
        int i = y * w + x;
        float c = raw.data[i];
        float cross = avg4(raw, x, y, -1, 0, 1, 0, 0, -1, 0, 1);
        float diag = avg4(raw, x, y, -1, -1, 1, -1, -1, 1, 1, 1);
        float horiz = avg4(raw, x, y, -1, 0, 1, 0, -1, 0, 1, 0);
        float vert = avg4(raw, x, y, 0, -1, 0, 1, 0, -1, 0, 1);
        if (evenRow && evenCol) { // red site
          r.data[i] = c;
          g.data[i] = cross;
          b.data[i] = diag;
        } else if (!evenRow && !evenCol) { // blue site
          b.data[i] = c;
          g.data[i] = cross;
          r.data[i] = diag;
        } else if (evenRow) { // green on a red row
          g.data[i] = c;
          r.data[i] = horiz;
          b.data[i] = vert;
        } else { // green on a blue row
          g.data[i] = c;
          b.data[i] = horiz;
          r.data[i] = vert;
        }
      }
    }
  }

  /** Mean of the four neighbours at the given offsets, clamped to the image. */
  private static float avg4(GrayF32 img, int x, int y, int... d) {
    float sum = 0;
    for (int k = 0; k < 8; k += 2) {
      int u = Math.max(0, Math.min(img.width - 1, x + d[k]));
      int v = Math.max(0, Math.min(img.height - 1, y + d[k + 1]));
      sum += img.data[v * img.width + u];
    }
    return sum / 4;
  }

  private static void sharpen(GrayF32 plane, Phone phone) {
    var blurred = BlurImageOps.gaussian(plane, null, phone.sharpenSigma(), -1, null);
    float k = (float) phone.sharpen();
    for (int i = 0; i < plane.data.length; i++) {
      plane.data[i] += k * (plane.data[i] - blurred.data[i]);
    }
  }

  /** The displayed picture stored as a sensor would: orientation 6 stores it turned left. */
  private static BufferedImage orient(GrayF32 r, GrayF32 g, GrayF32 b, int orientation) {
    int w = r.width;
    int h = r.height;
    boolean swap = orientation == 6 || orientation == 8;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    var out = new BufferedImage(ow, oh, BufferedImage.TYPE_3BYTE_BGR);
    byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        // (x, y) stored; the displayed pixel it holds:
        int dx;
        int dy;
        switch (orientation) {
          case 3 -> {
            dx = w - 1 - x;
            dy = h - 1 - y;
          }
          case 6 -> { // displayed = stored turned 90 degrees clockwise
            dx = w - 1 - y;
            dy = x;
          }
          case 8 -> { // displayed = stored turned 90 degrees anticlockwise
            dx = y;
            dy = h - 1 - x;
          }
          default -> {
            dx = x;
            dy = y;
          }
        }
        int i = dy * w + dx;
        int j = (y * ow + x) * 3;
        px[j] = clamp(b.data[i]);
        px[j + 1] = clamp(g.data[i]);
        px[j + 2] = clamp(r.data[i]);
      }
    }
    return out;
  }

  private static byte clamp(float v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** {@code jpeg} with an EXIF APP1 segment holding only the orientation tag, after the SOI. */
  static byte[] withOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {
      'M',
      'M',
      0,
      42,
      0,
      0,
      0,
      8, // big-endian TIFF header, first IFD at 8
      0,
      1, // one entry
      0x01,
      0x12,
      0,
      3,
      0,
      0,
      0,
      1,
      0,
      (byte) orientation,
      0,
      0, // Orientation, SHORT, 1
      0,
      0,
      0,
      0 // no next IFD
    };
    var out = new ByteArrayOutputStream(jpeg.length + 64);
    out.write(jpeg, 0, 2);
    int length = 2 + 6 + tiff.length;
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xFF);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
