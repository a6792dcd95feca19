package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.grader.ImageBombException;
import io.fctoolkit.grader.NotAnImageException;
import io.fctoolkit.grader.TruncatedImageException;
import io.fctoolkit.grader.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(50_000_000L, 1000);

  @Test
  void subsampling_targetsAThousandPixelLongSide() {
    assertThat(decoder.subsamplingFor(1200, 900)).isEqualTo(1);
    assertThat(decoder.subsamplingFor(1600, 1200)).isEqualTo(2);
    assertThat(decoder.subsamplingFor(3264, 2448)).isEqualTo(3);
    assertThat(decoder.subsamplingFor(3000, 4000)).isEqualTo(4);
  }

  @Test
  void sampleJpeg_decodesSubsampledToGrey() {
    DecodedImage image = decoder.decode(TestImages.sample());
    assertThat(image.format()).isEqualTo("jpeg");
    assertThat(image.width()).isEqualTo(1600);
    assertThat(image.subsampling()).isEqualTo(2);
    assertThat(image.gray().width).isEqualTo(800);
    assertThat(image.gray().height).isEqualTo(600);
  }

  @Test
  void bombs_areRefusedFromTheHeader() {
    assertThatThrownBy(() -> decoder.decode(TestImages.pngBomb(100_000, 100_000)))
        .isInstanceOf(ImageBombException.class)
        .hasMessageContaining("100000x100000");
    assertThatThrownBy(() -> decoder.decode(TestImages.jpegBomb(60_000, 1_000)))
        .isInstanceOf(ImageBombException.class);
  }

  @Test
  void truncatedJpeg_isRefused() {
    for (double fraction : new double[] {0.05, 0.5, 0.97}) {
      assertThatThrownBy(() -> decoder.decode(TestImages.truncatedJpeg(fraction)))
          .as("fraction %s", fraction)
          .isInstanceOf(TruncatedImageException.class);
    }
  }

  @Test
  void otherFormats_andGarbage_areNotImages() throws Exception {
    var gif = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "gif", gif);
    assertThatThrownBy(() -> decoder.decode(gif.toByteArray()))
        .isInstanceOf(NotAnImageException.class)
        .hasMessageContaining("gif");
    assertThatThrownBy(() -> decoder.decode("%PDF-1.7 hello".getBytes()))
        .isInstanceOf(NotAnImageException.class);
    assertThatThrownBy(() -> decoder.decode(new byte[0])).isInstanceOf(NotAnImageException.class);
  }
}
