package io.fctoolkit.knative.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.knative.KubeContextException;
import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one cluster an environment file binds: the kube context it names, looked up in the kubeconfig
 * files ({@code -Dkubeconfig}, else {@code KUBECONFIG}, else {@code ~/.kube/config}, as kubectl and
 * fabric8 read them). Anything that does not match is an error naming the file, the kubeconfig
 * files and their contexts: fabric8 on its own would quietly use the current context (or a service
 * account, or localhost) instead.
 */
public final class KubeTarget {

  private final String source;
  private final String context;
  private final List<String> files;
  private final List<String> contexts;
  private final String server;

  private KubeTarget(
      String source, String context, List<String> files, List<String> contexts, String server) {
    this.source = source;
    this.context = context;
    this.files = List.copyOf(files);
    this.contexts = List.copyOf(contexts);
    this.server = server;
  }

  /** The kubeconfig files fabric8 reads, in its order of precedence. */
  public static List<String> kubeconfigFiles() {
    return List.copyOf(Config.getKubeconfigFilenames());
  }

  /**
   * Selects the context {@code source} names among the contexts of {@code kubeconfigs}.
   *
   * @param context the context, or null when the file names none: then the kubeconfig's current
   *     context, which must exist
   * @throws KubeContextException when no kubeconfig exists or the context is not among its contexts
   */
  public static KubeTarget select(String source, String context, Collection<String> kubeconfigs) {
    requireNonNull(source, "source");
    List<String> existing = new ArrayList<>();
    Map<String, NamedContext> byName = new LinkedHashMap<>();
    Map<String, String> servers = new LinkedHashMap<>();
    String current = null;
    for (String path : kubeconfigs) {
      File file = new File(path);
      if (!file.isFile()) {
        continue; // as kubectl: a listed file that does not exist is skipped
      }
      existing.add(path);
      io.fabric8.kubernetes.api.model.Config parsed;
      try {
        parsed = KubeConfigUtils.parseConfig(file);
      } catch (RuntimeException e) {
        throw new KubeContextException(
            "kubeconfig",
            source,
            List.copyOf(kubeconfigs),
            List.of(),
            "cannot read kubeconfig " + path + ": " + e.getMessage(),
            "fix the file (kubectl config view --kubeconfig " + path + " shows what is wrong)");
      }
      // The first file that sets a name wins, as kubectl merges them.
      if (parsed.getContexts() != null) {
        parsed.getContexts().forEach(c -> byName.putIfAbsent(c.getName(), c));
      }
      if (parsed.getClusters() != null) {
        for (NamedCluster c : parsed.getClusters()) {
          if (c.getCluster() != null) {
            servers.putIfAbsent(c.getName(), c.getCluster().getServer());
          }
        }
      }
      if (current == null && parsed.getCurrentContext() != null) {
        current = parsed.getCurrentContext().isBlank() ? null : parsed.getCurrentContext();
      }
    }
    List<String> names = List.copyOf(byName.keySet());
    String where = describe(kubeconfigs, existing);
    if (existing.isEmpty()) {
      throw new KubeContextException(
          "kubeconfig",
          source,
          List.copyOf(kubeconfigs),
          names,
          source
              + " binds Knative"
              + (context == null ? "" : " through kube context '" + context + "'")
              + ", but there is no kubeconfig: "
              + where,
          "point KUBECONFIG at the kubeconfig that has the context, or create ~/.kube/config"
              + " (kubectl config set-cluster / set-credentials / set-context)");
    }
    String chosen = context != null ? context : current;
    if (chosen == null) {
      throw new KubeContextException(
          "platform.context",
          source,
          existing,
          names,
          source
              + " names no kube context and the kubeconfig ("
              + where
              + ") sets no current-context; its contexts are "
              + names,
          "add platform.context: <one of " + names + "> to " + source);
    }
    NamedContext named = byName.get(chosen);
    if (named == null) {
      throw new KubeContextException(
          "platform.context",
          source,
          existing,
          names,
          source
              + " names kube context '"
              + chosen
              + "', but the kubeconfig ("
              + where
              + ") has only the contexts "
              + names
              + "; fc-toolkit does not fall back to the current context"
              + (current == null ? "" : " (" + current + ")"),
          "add the context to the kubeconfig (kubectl config set-context "
              + chosen
              + " --cluster=<cluster> --user=<user>), point KUBECONFIG at the kubeconfig that has"
              + " it, or correct platform.context in "
              + source);
    }
    String cluster = named.getContext() == null ? null : named.getContext().getCluster();
    String server = cluster == null ? null : servers.get(cluster);
    if (server == null) {
      throw new KubeContextException(
          "platform.context",
          source,
          existing,
          names,
          "kube context '"
              + chosen
              + "' (named by "
              + source
              + ") refers to cluster '"
              + cluster
              + "', which the kubeconfig ("
              + where
              + ") does not define",
          "add the cluster (kubectl config set-cluster " + cluster + " --server=https://...)");
    }
    return new KubeTarget(source, chosen, existing, names, server);
  }

  private static String describe(Collection<String> listed, List<String> existing) {
    if (existing.isEmpty()) {
      return "none of " + listed + " exists";
    }
    return String.join(", ", existing);
  }

  /** The context selected. */
  public String context() {
    return context;
  }

  /** The API server of the context's cluster, as the kubeconfig writes it. */
  public String server() {
    return server;
  }

  /**
   * A client on exactly this context. fabric8 builds it from the same kubeconfig files; should it
   * end on another context or server (e.g. {@code KUBERNETES_MASTER} overriding the file), that is
   * refused too.
   */
  public KubernetesClient client() {
    Config config = Config.autoConfigure(context);
    NamedContext used = config.getCurrentContext();
    if (used == null
        || !context.equals(used.getName())
        || !sameServer(server, config.getMasterUrl())) {
      throw new KubeContextException(
          "platform.context",
          source,
          files,
          contexts,
          "the Kubernetes client resolved kube context '"
              + context
              + "' (named by "
              + source
              + ") to context "
              + (used == null ? "(none)" : "'" + used.getName() + "'")
              + " at "
              + config.getMasterUrl()
              + ", not to its cluster "
              + server,
          "unset what overrides the kubeconfig (KUBERNETES_MASTER, -Dkubernetes.master,"
              + " -Dkubernetes.auth.tryKubeConfig=false)");
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Refuses a namespace the cluster does not have: without it every write would fail later with a
   * 404 that reads like Knative is missing. When the credentials may not read namespaces (RBAC
   * scoped to the namespace), the check is left to the first call.
   */
  public void requireNamespace(
      KubernetesClient client, String namespace, Consumer<FcEvent> events) {
    try {
      if (client.namespaces().withName(namespace).get() != null) {
        return;
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 401) {
        events.accept(
            FcEvent.info(
                "Cannot read namespace "
                    + namespace
                    + " with kube context "
                    + context
                    + " (HTTP "
                    + e.getCode()
                    + "); its existence is checked by the first call"));
        return;
      }
      throw new Kube(client, namespace).map("get namespace " + namespace, KnativeKinds.SERVICE, e);
    }
    throw new KubeContextException(
        "platform.namespace",
        source,
        files,
        contexts,
        "namespace '"
            + namespace
            + "' (named by "
            + source
            + ") does not exist on the cluster of kube context '"
            + context
            + "' ("
            + server
            + ")",
        "create it (kubectl --context "
            + context
            + " create namespace "
            + namespace
            + ") or correct platform.namespace in "
            + source);
  }

  private static boolean sameServer(String a, String b) {
    return Objects.equals(trimSlash(a), trimSlash(b));
  }

  private static String trimSlash(String url) {
    if (url == null) {
      return null;
    }
    String s = url.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
