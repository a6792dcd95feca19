// The runtime keeps its state in the test's folder, on an ephemeral port.
def state = new File(basedir, 'state')
context.userProperties.put('fc.runtime.stateDir', state.absolutePath)
context.userProperties.put('fc.runtime.port', '0')
return true
