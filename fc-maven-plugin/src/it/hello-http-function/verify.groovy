// The plain hello function got an OCI archive with the layout of docs/architecture.md section 4.
import groovy.json.JsonSlurper

def run(List<String> command, File dir) {
  // stderr apart: GNU tar warns about the PAX headers jib writes
  def errors = File.createTempFile('stderr', '.txt', dir)
  def process = new ProcessBuilder(command).directory(dir).redirectError(errors).start()
  def text = process.inputStream.text
  assert process.waitFor() == 0 : "${command} failed: ${text} ${errors.text}"
  return text
}

def fc = new File(basedir, 'target/fc')
def json = new JsonSlurper().parse(new File(fc, 'build.json'))
assert json.function == 'hello-http'
assert json.handler == 'com.example.HelloWorld'
assert json.baseImage == 'scratch'
assert json.digest ==~ /sha256:[0-9a-f]{64}/
assert json.layers*.name == ['dependencies', 'host', 'resources', 'classes']

def unpacked = new File(basedir, 'target/unpacked')
unpacked.mkdirs()
run(['tar', 'xf', new File(fc, 'image.tar').absolutePath], unpacked)
def index = new JsonSlurper().parse(new File(unpacked, 'index.json'))
assert index.manifests[0].digest == json.digest
def blob = { String digest -> new File(unpacked, 'blobs/sha256/' + digest.substring(7)) }
def manifest = new JsonSlurper().parse(blob(json.digest))
def config = new JsonSlurper().parse(blob(manifest.config.digest))
assert config.config.Entrypoint == ['java', '-cp', '/app/host/*:/app/libs/*:/app/resources:/app/classes', 'io.fctoolkit.host.FcHost']
assert config.config.Env.contains('FUNCTION_TARGET=com.example.HelloWorld')
assert config.config.Labels['io.fctoolkit.function'] == 'hello-http'

def files = manifest.layers.collect { layer -> run(['tar', 'tzf', blob(layer.digest).absolutePath], unpacked).readLines().findAll { !it.endsWith('/') } }
// functions-framework-api (and so cloudevents-api) is provided in the project; the plugin adds the
// host's copies.
assert files[0].sort() == ['app/libs/cloudevents-api-4.0.1.jar', 'app/libs/functions-framework-api-2.0.0.jar']
assert files[1] == ['app/host/fc-host.jar']
assert files[2] == ['app/resources/hello.properties']
assert files[3] == ['app/classes/com/example/HelloWorld.class']

// skopeo, an independent OCI implementation, agrees on the digest.
def inspected = new JsonSlurper().parseText(run(['skopeo', 'inspect', 'oci-archive:' + new File(fc, 'image.tar').absolutePath], unpacked))
assert inspected.Digest == json.digest

// Run the image the way the local runtime does: unpack the /app layers and start the entrypoint's
// classpath with this JDK; the function must answer through fc-host.
def rootfs = new File(basedir, 'target/rootfs')
rootfs.mkdirs()
manifest.layers.each { layer -> run(['tar', 'xzf', blob(layer.digest).absolutePath], rootfs) }
def app = new File(rootfs, 'app').absolutePath
def classpath = config.config.Entrypoint[2].replace('/app', app)
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def builder = new ProcessBuilder(java, '-cp', classpath, config.config.Entrypoint[3]).redirectErrorStream(true)
builder.environment().putAll([FUNCTION_TARGET: 'com.example.HelloWorld', PORT: '0', FC_BIND: '127.0.0.1'])
def host = builder.start()
try {
  def reader = new BufferedReader(new InputStreamReader(host.inputStream))
  def port = null
  def deadline = System.currentTimeMillis() + 30_000
  while (port == null && System.currentTimeMillis() < deadline) {
    def line = reader.readLine()
    assert line != null : 'fc-host exited before it was ready'
    if (line.contains('"msg":"ready"')) {
      port = new JsonSlurper().parseText(line).port
    }
  }
  assert port != null : 'fc-host did not report ready within 30 s'
  assert new URL("http://127.0.0.1:${port}/").text == 'Hello World!'
} finally {
  host.destroy()
  if (!host.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
    host.destroyForcibly()
  }
}

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Building image of hello-http on scratch')
assert log.contains('[INFO] Image digest: ' + json.digest)
// batch mode: no progress footer, no jib detail lines without -X
assert !log.contains('\u001b[K')
assert !log.contains('jib: ')
return true
