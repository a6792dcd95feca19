// The pushed image is in the registry with the digest build.json reports (checked with skopeo).
import groovy.json.JsonSlurper

def dir = new File(basedir, 'registry')
try {
  def address = new File(dir, 'address').text
  def json = new JsonSlurper().parse(new File(basedir, 'target/fc/build.json'))
  assert json.target.type == 'registry'
  assert json.target.insecure == true
  assert json.image == "${address}/it/hello-push@${json.digest}".toString()

  def process = new ProcessBuilder('skopeo', 'inspect', '--tls-verify=false', "docker://${address}/it/hello-push:dev".toString())
      .redirectErrorStream(true).start()
  def text = process.inputStream.text
  assert process.waitFor() == 0 : text
  def inspected = new JsonSlurper().parseText(text)
  assert inspected.Digest == json.digest
  assert inspected.Labels['io.fctoolkit.handler'] == 'com.example.HelloWorld'
  assert inspected.Layers == json.layers*.digest

  def log = new File(basedir, 'build.log').text
  assert log.contains("[INFO] Image digest: ${json.digest}")
  // deployed from the registry: the runtime pulled the image by digest and serves it
  assert log.contains('[INFO] Published version 1')
  assert log.contains("[INFO] digest    ${json.digest}")
  assert log.contains('[INFO] HTTP 200 from hello-push v1 (via alias dev)')
  assert log.contains('[INFO] Hello World!')
  assert log =~ /\[INFO\] Stopped the local runtime of .* \(pid \d+\)/
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
