package io.fctoolkit.core;

/**
 * What a platform can express, so plans can warn or refuse instead of silently dropping a feature.
 *
 * @param decimalWeights canary weights such as 2.5%; otherwise they are rounded to whole percents
 * @param keyAffinity aliases that route by a hash of the routing key
 * @param keyOrdering triggers with ordering {@code key}
 * @param archiveImages images given as a local OCI archive rather than a registry reference
 */
public record PlatformCapabilities(
    boolean decimalWeights, boolean keyAffinity, boolean keyOrdering, boolean archiveImages) {}
