// Starts Debian's docker-registry on 127.0.0.1:<free port> (shared/registry.groovy); the builds push
// there. verify.groovy stops it.
def address = evaluate(new File(basedir, '../../../src/it/shared/registry.groovy'))
context.userProperties.put('fc.image', "${address}/it/hello:build".toString())
context.userProperties.put('fc.allowInsecureRegistries', 'true')
return true
