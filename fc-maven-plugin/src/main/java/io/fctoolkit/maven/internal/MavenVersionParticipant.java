package io.fctoolkit.maven.internal;

import java.util.Optional;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.MavenExecutionException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.rtinfo.RuntimeInformation;

/**
 * Checks the Maven version before the build starts, when the project declares the plugin with
 * {@code <extensions>true</extensions>}: without it the check runs when a goal runs, which for
 * {@code fc:build} bound to {@code package} is after the tests. Registered in {@code
 * META-INF/plexus/components.xml} (Maven calls lifecycle participants only from build extensions).
 */
public class MavenVersionParticipant extends AbstractMavenLifecycleParticipant {

  /** Injected by Maven (see components.xml). */
  RuntimeInformation runtimeInformation;

  @Override
  public void afterProjectsRead(MavenSession session) throws MavenExecutionException {
    String running = runtimeInformation == null ? null : runtimeInformation.getMavenVersion();
    Optional<String> problem = MavenVersionCheck.problem(running, MavenVersionCheck.required());
    if (problem.isPresent()) {
      throw new MavenExecutionException(problem.get(), session.getRequest().getPom());
    }
  }
}
