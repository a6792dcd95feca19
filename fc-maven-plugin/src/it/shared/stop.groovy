// Stops what an IT left running, also when its build failed: the local runtime of the project's
// state/ folder (by the pid in state/run/runtime.json) and the registry of shared/registry.groovy
// (by registry/pid, with its children). Evaluated from the finally block of verify.groovy.
import groovy.json.JsonSlurper

def info = new File(basedir, 'state/run/runtime.json')
if (info.exists()) {
  ProcessHandle.of(new JsonSlurper().parse(info).pid as long).ifPresent { it.destroy() }
}
def registryPid = new File(basedir, 'registry/pid')
if (registryPid.exists()) {
  ProcessHandle.of(registryPid.text.trim() as long).ifPresent { handle ->
    handle.descendants().each { it.destroy() }
    handle.destroy()
  }
}
