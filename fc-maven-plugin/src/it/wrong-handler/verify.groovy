// The build log holds the three invocations in order.
def log = new File(basedir, 'build.log').text
assert log.contains("handler: 'com.example.Helper': the class is not a function: implement one of HttpFunction, CloudEventsFunction, TypedFunction, BackgroundFunction, RawBackgroundFunction (com.google.cloud.functions, from functions-framework-api); perhaps you should set <handler> in pom.xml or pass -Dfc.handler=")
assert log.contains("handler: 'com.example.Configured': the class has no public no-argument constructor; add public Configured() {}")
assert log.contains("handler: 'com.example.HeloWorld': no such class in ")
assert log.contains('target/classes: com.example.HelloWorld; perhaps you should set <handler>')
// it stopped before building anything
assert !log.contains('Building image of')
assert !new File(basedir, 'target/fc/image.tar').exists()
return true
