package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * A graded-homework submission: who sent which photo of which worksheet.
 *
 * @param submissionId the submission's id, echoed in the result
 * @param studentId the student's id, echoed in the result
 * @param worksheetId the layout name the photo should show, or null to accept any known layout
 * @param imageUri where the photo is: {@code file:}, {@code http:} or {@code https:}
 */
public record Submission(String submissionId, String studentId, String worksheetId, URI imageUri) {
  public Submission {
    requireNonNull(submissionId, "submissionId");
    requireNonNull(studentId, "studentId");
    requireNonNull(imageUri, "imageUri");
  }
}
