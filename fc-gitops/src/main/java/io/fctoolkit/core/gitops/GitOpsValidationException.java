package io.fctoolkit.core.gitops;

import io.fctoolkit.core.FcException;
import java.util.List;

/** Gitops files that are not valid; carries every error found, not just the first. */
public class GitOpsValidationException extends FcException {

  private static final long serialVersionUID = 1L;

  private final transient List<ValidationError> errors;

  public GitOpsValidationException(List<ValidationError> errors) {
    super(summary(errors), "fix the errors listed above; nothing was applied");
    this.errors = List.copyOf(errors);
  }

  /** All errors, in file and line order. */
  public List<ValidationError> errors() {
    return errors;
  }

  private static String summary(List<ValidationError> errors) {
    StringBuilder text =
        new StringBuilder(
            errors.size() + (errors.size() == 1 ? " error" : " errors") + " in gitops files:");
    errors.forEach(e -> text.append("\n  ").append(e));
    return text.toString();
  }
}
