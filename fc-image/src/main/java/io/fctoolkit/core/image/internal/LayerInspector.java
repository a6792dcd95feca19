package io.fctoolkit.core.image.internal;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.cache.Cache;
import com.google.cloud.tools.jib.cache.CacheCorruptedException;
import com.google.cloud.tools.jib.cache.CachedLayer;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ContainerConfigurationTemplate;
import com.google.cloud.tools.jib.image.json.ImageMetadataTemplate;
import com.google.cloud.tools.jib.image.json.ManifestAndConfigTemplate;
import com.google.common.collect.ImmutableList;
import io.fctoolkit.core.image.BuiltLayer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the digests and sizes of a built image's layers from jib's caches: the application layers
 * are cached by their file entries, the base image by its manifest. Jib's result only carries the
 * image digest, and re-reading a pushed manifest would need the registry's credentials again.
 */
public final class LayerInspector {

  private LayerInspector() {}

  /** The base image's layers, if the base cache holds its manifest; empty for scratch. */
  public static List<BuiltLayer> baseLayers(Path baseCache, String baseImage) {
    if (baseCache == null) {
      return List.of();
    }
    try {
      Optional<ImageMetadataTemplate> metadata =
          Cache.withDirectory(baseCache).retrieveMetadata(ImageReference.parse(baseImage));
      if (metadata.isEmpty()) {
        return List.of();
      }
      for (ManifestAndConfigTemplate entry : metadata.get().getManifestsAndConfigs()) {
        ContainerConfigurationTemplate config = entry.getConfig();
        // Jib's default platform; the only one fc-toolkit builds for.
        boolean linuxAmd64 =
            config != null
                && "amd64".equals(config.getArchitecture())
                && "linux".equals(config.getOs());
        if (entry.getManifest() instanceof BuildableManifestTemplate manifest
            && (linuxAmd64 || metadata.get().getManifestsAndConfigs().size() == 1)) {
          List<BuiltLayer> layers = new ArrayList<>();
          List<BuildableManifestTemplate.ContentDescriptorTemplate> blobs = manifest.getLayers();
          for (int i = 0; i < blobs.size(); i++) {
            String diffId =
                config != null && i < config.getLayerCount()
                    ? config.getLayerDiffId(i).toString()
                    : blobs.get(i).getDigest().toString();
            layers.add(
                new BuiltLayer(
                    "base", blobs.get(i).getDigest().toString(), diffId, blobs.get(i).getSize()));
          }
          return layers;
        }
      }
      return List.of();
    } catch (IOException
        | CacheDirectoryCreationException
        | CacheCorruptedException
        | InvalidImageReferenceException e) {
      return List.of();
    }
  }

  /** The application layers jib built (or found in its cache) for these entries, in order. */
  public static List<BuiltLayer> applicationLayers(Path applicationCache, LayerPlan plan)
      throws IOException, CacheDirectoryCreationException, CacheCorruptedException {
    Cache cache = Cache.withDirectory(applicationCache);
    List<BuiltLayer> layers = new ArrayList<>();
    for (FileEntriesLayer layer : plan.nonEmptyLayers()) {
      CachedLayer cached =
          cache
              .retrieve(ImmutableList.copyOf(layer.getEntries()))
              .orElseThrow(
                  () ->
                      new IOException(
                          "layer " + layer.getName() + " is missing from " + applicationCache));
      layers.add(
          new BuiltLayer(
              layer.getName(),
              cached.getDigest().toString(),
              cached.getDiffId().toString(),
              cached.getSize()));
    }
    return layers;
  }
}
