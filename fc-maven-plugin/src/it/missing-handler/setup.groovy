def state = new File(basedir, 'state')
context.userProperties.put('fc.runtime.stateDir', state.absolutePath)
context.userProperties.put('fc.runtime.port', '0')
return true
