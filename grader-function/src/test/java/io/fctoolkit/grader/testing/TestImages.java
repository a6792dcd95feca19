package io.fctoolkit.grader.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Bad and good image bytes for tests. */
public final class TestImages {
  private TestImages() {}

  /** The checked-in sample photo (1600x1200 simulated phone JPEG of a math-12 sheet). */
  public static byte[] sample() {
    return resource("/io/fctoolkit/grader/sample/sample.jpg");
  }

  /** A classpath resource's bytes. */
  public static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first {@code fraction} of the sample JPEG: a truncated upload. */
  public static byte[] truncatedJpeg(double fraction) {
    byte[] full = sample();
    return Arrays.copyOf(full, (int) (full.length * fraction));
  }

  /**
   * A PNG whose header declares {@code width} x {@code height} pixels, with a tiny IDAT that would
   * inflate to a huge raster: a decompression bomb.
   */
  public static byte[] pngBomb(int width, int height) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    var deflater = new Deflater(9);
    deflater.setInput(new byte[4 * 1024 * 1024]);
    deflater.finish();
    byte[] buffer = new byte[64 * 1024];
    int n = deflater.deflate(buffer);
    deflater.end();
    chunk(out, "IDAT", Arrays.copyOf(buffer, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** The sample JPEG with its frame header patched to declare {@code width} x {@code height}. */
  public static byte[] jpegBomb(int width, int height) {
    byte[] jpeg = sample().clone();
    for (int i = 2; i + 9 < jpeg.length; i++) {
      int marker = jpeg[i + 1] & 0xFF;
      if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC1 || marker == 0xC2)) {
        jpeg[i + 5] = (byte) (height >> 8);
        jpeg[i + 6] = (byte) height;
        jpeg[i + 7] = (byte) (width >> 8);
        jpeg[i + 8] = (byte) width;
        return jpeg;
      }
    }
    throw new IllegalStateException("no SOF marker in the sample");
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    var crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
