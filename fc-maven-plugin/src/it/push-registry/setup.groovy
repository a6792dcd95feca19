// Starts Debian's docker-registry on 127.0.0.1:<free port> with its storage under this project
// (shared/registry.groovy). verify.groovy stops it (invoker runs it even when the build fails).
def address = evaluate(new File(basedir, '../../../src/it/shared/registry.groovy'))
context.userProperties.put('fc.runtime.stateDir', new File(basedir, 'state').absolutePath)
context.userProperties.put('fc.runtime.port', '0')
context.userProperties.put('fc.image', "${address}/it/hello-push:dev".toString())
return true
