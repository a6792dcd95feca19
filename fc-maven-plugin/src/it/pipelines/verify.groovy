// Runs the pipelines end to end against the two pushed builds (PipelineScenario in the test sources:
// the GitHub workflows' jobs step by step, the Jenkinsfile's sh steps under dash, the real scripts,
// plugin, runtime, registry and a bare Git remote).
import io.fctoolkit.maven.pipelines.PipelineScenario

try {
  def address = new File(basedir, 'registry/address').text
  def log = new File(basedir, 'build.log').text
  def digests = (log =~ /\[INFO\] Image digest: (sha256:[0-9a-f]{64})/).collect { it[1] }
  assert digests.size() == 2 && digests[0] != digests[1] : "two different builds expected: ${digests}"
  PipelineScenario.run(
      basedir.toPath(),
      new File(System.getProperty('maven.home')).toPath(),
      new File(basedir, '../interpolated-settings.xml').toPath(),
      new File("${localRepositoryPath}").toPath(),
      "${address}/it/hello".toString(),
      digests[0],
      digests[1])
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
