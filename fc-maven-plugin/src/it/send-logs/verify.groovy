// fc:send (one record, a folder of records, an unknown trigger), fc:logs (by alias, followed by
// version), fc:invoke as curl (method, path, query, headers, a CloudEvent, a failure naming the log
// file), property warnings, against a runtime fc:deploy started with its embedded broker.
def state = new File(basedir, 'state')
try {
  def log = new File(basedir, 'build.log').text
  // the runtime names the file by the state folder it was given (absolute)
  def logFile = new File(state, 'logs/send-logs/v1.log').absolutePath

  // 1
  assert log =~ /\[INFO\] triggers  submissions \(topic submissions -> dev\)/
  // 2: the result, read from the onSuccess topic, with the key's header passed on
  assert log =~ /\[INFO\] Sending 1 record\(s\) to trigger submissions of send-logs \(topic submissions on 127\.0\.0\.1:\d+\)/
  assert log =~ /\[INFO\] \[result\] fc\.value \(partition \d offset \d+\) v1 -> grades:/
  // a trigger delivers a record as a binary-mode CloudEvent, as Knative's KafkaSource does
  assert log.contains('[INFO]   graded method=POST path=/ query= student=st1 type=dev.knative.kafka.event body=submission-one')
  // 3: the folder in name order: a.jsonl's two lines, then b.json
  assert log =~ /\[INFO\] \[result\] a\.jsonl:1 \(partition \d offset \d+\) v1 -> grades:/
  assert log.contains('[INFO]   graded method=POST path=/ query= student=st2 type=dev.knative.kafka.event body={"id":"two"}')
  assert log =~ /\[INFO\] \[dead letter\] a\.jsonl:2 \(partition \d offset \d+\) v1 -> submissions-dlq: HTTP 400: bad submission/
  assert log.contains('[INFO]   status 400, attempts 1')
  assert log =~ /\[INFO\] \[delivered\] b\.json \(partition \d offset \d+\): the trigger committed it without writing a result/
  assert log.contains('[INFO] 3 record(s): 1 result(s), 1 dead letter(s), 1 delivered without result, 0 without outcome')
  // 4
  assert log.contains("'nope': function send-logs has no such trigger; it has submissions")
  // 5: the log is named and holds what the function printed
  assert log.contains("[INFO] Log of send-logs v1: ${logFile}")
  assert log.contains('[INFO] [v1] grading submission-one')
  // 6
  assert log.contains('[INFO] Following for 2 s')
  // 7: curl-like request; the typo and the property the pom overrides are warned about
  assert log =~ /\[INFO\] HTTP 200 from send-logs v1 \(via alias dev\) in \d+ ms: PUT \/items\/a\?name=J&x=1/
  assert log.contains('[INFO] graded method=PUT path=/items/a query=name=J&x=1 student=st9 type= body=')
  assert log =~ /\[INFO\] content-type: text\/plain/
  assert log.contains('[WARNING] -Dfc.to.image is not a property of fc:invoke nor of any fc goal, so it is ignored; did you mean -Dfc.image?')
  assert log.contains("[WARNING] -Dfc.alias=prod is ignored by fc:invoke: pom.xml sets <alias> to 'dev'")
  // 8
  assert log.contains('[INFO] graded method=POST path=/ query= student= type=com.example.created body=event-1')
  // 9: the hint is the log file, not an API path that needs the token
  assert log.contains("send-logs answered HTTP 400")
  assert log.contains("see the version's log: ${logFile} (or mvn fc:logs)")
  // 10
  assert log =~ /\[INFO\] Stopped the local runtime of .* \(pid \d+\)/
} finally {
  evaluate(new File(basedir, '../../../src/it/shared/stop.groovy'))
}
return true
