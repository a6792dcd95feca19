package io.fctoolkit.grader;

/**
 * Where the time of one grading went, in milliseconds.
 *
 * @param fetchMs fetching the image bytes
 * @param decodeMs decoding (with subsampling) and converting to grey
 * @param locateMs quality figures, fiducial detection and perspective
 * @param boxesMs reading the answer boxes
 * @param totalMs everything, including JSON handling
 */
public record Timings(
    double fetchMs, double decodeMs, double locateMs, double boxesMs, double totalMs) {}
