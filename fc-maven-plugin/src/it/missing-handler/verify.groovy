def log = new File(basedir, 'build.log').text
assert log.contains('Missing handler (the function class, run as FUNCTION_TARGET), perhaps you should add <handler> to pom.xml or pass -Dfc.handler=com.example.Grader')
assert !new File(basedir, 'target/fc/image.tar').exists()
return true
