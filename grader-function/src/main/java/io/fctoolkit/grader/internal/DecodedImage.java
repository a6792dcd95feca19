package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayU8;

/**
 * A photo decoded to grey at reduced resolution.
 *
 * @param gray the grey pixels (one pixel per {@code subsampling} source pixels in each direction)
 * @param width the stored width before subsampling
 * @param height the stored height before subsampling
 * @param subsampling the decode-time subsampling factor
 * @param format the image format name, {@code jpeg} or {@code png}
 */
public record DecodedImage(GrayU8 gray, int width, int height, int subsampling, String format) {}
