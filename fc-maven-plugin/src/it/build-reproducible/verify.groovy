// Same inputs, same digest: two builds with separate layer caches and fresh file times.
import groovy.json.JsonSlurper
import java.nio.file.Files

def first = new JsonSlurper().parse(new File(basedir, 'out1/build.json'))
def second = new JsonSlurper().parse(new File(basedir, 'out2/build.json'))
assert first.digest ==~ /sha256:[0-9a-f]{64}/
assert second.digest == first.digest
assert second.layers == first.layers
assert Files.mismatch(new File(basedir, 'out1/image.tar').toPath(), new File(basedir, 'out2/image.tar').toPath()) == -1L
return true
