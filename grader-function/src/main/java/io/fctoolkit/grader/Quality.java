package io.fctoolkit.grader;

/**
 * Image-quality figures measured on the photo.
 *
 * @param width the photo's width as stored
 * @param height the photo's height as stored
 * @param subsampling the decode-time subsampling factor (1 = full resolution)
 * @param brightness mean grey level of the decoded photo, 0 to 255
 * @param darkFraction fraction of pixels at or below grey 16 (crushed shadows)
 * @param brightFraction fraction of pixels at or above grey 250 (blown highlights)
 * @param laplacianVariance variance of the Laplacian (higher is sharper; depends on content)
 * @param edgeWidthMm 10-90% rise width of the fiducial edges in sheet millimetres (lower is
 *     sharper), or -1 when no sheet was found
 * @param contrast paper grey minus fiducial black, 0 to 255, or -1 when no sheet was found
 * @param pxPerMm resolution of the sheet in the photo as stored (pixels per sheet millimetre), or
 *     -1 when no sheet was found
 */
public record Quality(
    int width,
    int height,
    int subsampling,
    double brightness,
    double darkFraction,
    double brightFraction,
    double laplacianVariance,
    double edgeWidthMm,
    double contrast,
    double pxPerMm) {}
