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
// functions-framework-api is provided in the project; the plugin adds the host's copy.
assert files[0] == ['app/libs/functions-framework-api-2.0.0.jar']
assert files[1] == ['app/host/fc-host.jar']
assert files[2] == ['app/resources/hello.properties']
assert files[3] == ['app/classes/com/example/HelloWorld.class']

// skopeo, an independent OCI implementation, agrees on the digest.
def inspected = new JsonSlurper().parseText(run(['skopeo', 'inspect', 'oci-archive:' + new File(fc, 'image.tar').absolutePath], unpacked))
assert inspected.Digest == json.digest

def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] Building image of hello-http on scratch')
assert log.contains('[INFO] Image digest: ' + json.digest)
// batch mode: no progress footer, no jib detail lines without -X
assert !log.contains('\u001b[K')
assert !log.contains('jib: ')
return true
