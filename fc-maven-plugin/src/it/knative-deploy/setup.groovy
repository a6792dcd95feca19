// Starts Debian's docker-registry on 127.0.0.1:<free port> (as push-registry does) and fabric8's
// mock Kubernetes API server in CRUD mode in this (the outer Maven) JVM, from the plugin's test
// class path (addTestClassPath), and writes a kubeconfig whose context "mock" points at it.
// verify.groovy stops both (invoker runs it even when the build fails); `timeout` stops the
// registry anyway after 10 minutes, and the mock server dies with this JVM.
import io.fabric8.kubernetes.api.model.NamespaceBuilder
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer
import io.fabric8.kubernetes.client.utils.Serialization
import io.fabric8.mockwebserver.Context
import io.fabric8.mockwebserver.MockWebServer
import io.fctoolkit.knative.ApplyingDispatcher

def address = evaluate(new File(basedir, '../../../src/it/shared/registry.groovy'))

// The mock API server as @EnableKubernetesMockClient(crud = true) builds it, on 127.0.0.1.
def responses = new HashMap()
// ApplyingDispatcher (fc-knative's test-jar) gives the CRUD mock server the server-side apply that
// KnativePlatform writes with, which the mock lacks.
def server = new KubernetesMockServer(
    new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
    new ApplyingDispatcher(new KubernetesMixedDispatcher(responses)), false)
server.init(InetAddress.getByName('127.0.0.1'), 0)
// The namespace the environment file names exists, as on a real cluster (connect checks it).
def admin = server.createClient()
try {
  admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName('staging')
      .endMetadata().build()).create()
} finally {
  admin.close()
}
// verify.groovy runs in this JVM and reaches the server through this key.
System.properties.put('fc.it.knative-deploy.server', server)
def kubeconfig = new File(basedir, 'kubeconfig')
kubeconfig.text = """apiVersion: v1
kind: Config
clusters:
  - name: mock
    cluster:
      server: http://127.0.0.1:${server.port}
users:
  - name: mock
    user:
      token: not-a-secret
contexts:
  - name: mock
    context:
      cluster: mock
      user: mock
      namespace: staging
current-context: mock
"""
// fabric8 reads the kubeconfig path from the system property "kubeconfig" (else KUBECONFIG).
context.userProperties.put('kubeconfig', kubeconfig.absolutePath)
context.userProperties.put('fc.image', "${address}/it/hello-kn:dev".toString())
return true
