context.userProperties.put('fc.runtime.stateDir', new File(basedir, 'state').absolutePath)
context.userProperties.put('fc.runtime.port', '0')
return true
