package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.ImageBombException;
import io.fctoolkit.grader.NotAnImageException;
import io.fctoolkit.grader.TruncatedImageException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG and PNG photos to grey, refusing decompression bombs from the header alone and
 * downscaling at decode time so a 12-megapixel photo never becomes a 36 MB raster.
 */
public final class ImageDecoder {

  private final long maxPixels;
  private final int targetLongSide;

  /**
   * A decoder refusing images whose header declares more than {@code maxPixels}, and subsampling so
   * the decoded long side is close to {@code targetLongSide}.
   */
  public ImageDecoder(long maxPixels, int targetLongSide) {
    this.maxPixels = maxPixels;
    this.targetLongSide = targetLongSide;
  }

  /** The decode-time subsampling factor for a {@code width} x {@code height} photo. */
  public int subsamplingFor(int width, int height) {
    return Math.max(1, (int) Math.round(Math.max(width, height) / (double) targetLongSide));
  }

  /** Decodes {@code bytes}; throws a {@link io.fctoolkit.grader.GraderException} on bad input. */
  public DecodedImage decode(byte[] bytes) {
    return decode(bytes, 0);
  }

  /**
   * Decodes {@code bytes} with subsampling {@code factor}, or the automatic factor when it is 0.
   */
  public DecodedImage decode(byte[] bytes, int factor) {
    // The bytes are in memory already: ImageIO.createImageInputStream would look up a stream
    // provider and, with ImageIO's default cache setting, copy them into a temporary file first.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new NotAnImageException(
            "The file is not an image this grader reads; send a JPEG or PNG photo",
            Map.of("bytes", bytes.length, "magic", magic(bytes)));
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toLowerCase(Locale.ROOT);
      if (!format.equals("jpeg") && !format.equals("png")) {
        reader.dispose();
        throw new NotAnImageException(
            "The file is a " + format + " image; send a JPEG or PNG photo",
            Map.of("format", format));
      }
      try {
        return read(reader, in, format, factor);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new TruncatedImageException(
          "The image could not be read to its end: " + e.getMessage(),
          Map.of("bytes", bytes.length),
          e);
    }
  }

  private DecodedImage read(ImageReader reader, ImageInputStream in, String format, int forced)
      throws IOException {
    reader.setInput(in, true, true);
    // Only the header is read here: refuse bombs before a single pixel buffer exists.
    int width = reader.getWidth(0);
    int height = reader.getHeight(0);
    if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
      throw new ImageBombException(
          "The image declares "
              + width
              + "x"
              + height
              + " pixels, more than the "
              + maxPixels
              + " this grader decodes; send a photo of at most "
              + (maxPixels / 1_000_000)
              + " megapixels",
          Map.of("width", width, "height", height, "maxPixels", maxPixels));
    }
    int factor = forced > 0 ? forced : subsamplingFor(width, height);
    ImageReadParam param = reader.getDefaultReadParam();
    param.setSourceSubsampling(factor, factor, 0, 0);
    // JPEG can hand out its luma plane directly: no chroma upsampling or colour conversion.
    for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
      ImageTypeSpecifier type = it.next();
      if (type.getBufferedImageType() == BufferedImage.TYPE_BYTE_GRAY) {
        param.setDestinationType(type);
        break;
      }
    }
    List<String> warnings = new ArrayList<>();
    IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
    reader.addIIOReadWarningListener(listener);
    BufferedImage image;
    try {
      image = reader.read(0, param);
    } catch (IOException | RuntimeException e) {
      throw new TruncatedImageException(
          "The " + format + " image is truncated or corrupt: " + e.getMessage(),
          Map.of("format", format, "width", width, "height", height),
          e);
    }
    if (!warnings.isEmpty()) {
      // libjpeg reports a premature end of data as a warning and fills the rest with grey:
      // grading that grey would read missing boxes as blank.
      throw new TruncatedImageException(
          "The " + format + " image is truncated or corrupt: " + warnings.get(0),
          Map.of("format", format, "width", width, "height", height));
    }
    return new DecodedImage(toGray(image), width, height, factor, format);
  }

  /** Converts to 8-bit grey with integer BT.601 luma weights, fast paths for common layouts. */
  static GrayU8 toGray(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    var gray = new GrayU8(w, h);
    byte[] out = gray.data;
    int type = image.getType();
    if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_BYTE_GRAY)
        && image.getRaster().getDataBuffer() instanceof DataBufferByte buffer
        && image.getRaster().getSampleModelTranslateX() == 0
        && image.getRaster().getSampleModelTranslateY() == 0) {
      byte[] in = buffer.getData();
      if (type == BufferedImage.TYPE_BYTE_GRAY) {
        System.arraycopy(in, 0, out, 0, w * h);
      } else {
        for (int i = 0, j = 0; i < w * h; i++, j += 3) {
          int b = in[j] & 0xFF;
          int g = in[j + 1] & 0xFF;
          int r = in[j + 2] & 0xFF;
          out[i] = (byte) ((r * 77 + g * 150 + b * 29) >> 8);
        }
      }
      return gray;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int a = (p >>> 24) & 0xFF;
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        int luma = (r * 77 + g * 150 + b * 29) >> 8;
        // Transparent pixels count as white paper, not black.
        out[y * w + x] = (byte) ((luma * a + 255 * (255 - a)) / 255);
      }
    }
    return gray;
  }

  private static String magic(byte[] bytes) {
    var sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, bytes.length); i++) {
      sb.append(String.format("%02x", bytes[i] & 0xFF));
    }
    return sb.toString();
  }
}
