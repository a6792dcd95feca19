def state = new File(basedir, 'state')
context.userProperties.put('fc.runtime.stateDir', state.absolutePath)
context.userProperties.put('fc.runtime.port', '0')
// gitops/ needs environments/ next to functions/; this test deploys to local, so it stays empty.
new File(basedir, 'gitops/environments').mkdirs()
return true
