import { UnprocessableError } from '../../platform/errors.ts';
import { formatWorkflowIssue, type WorkflowIssue } from './file/workflow-file.ts';

const LISTED = 10;

/** A workflow file with problems, as a 422 whose `errors` name each problem's file, line and column. */
export class WorkflowFileError extends UnprocessableError {
  constructor(readonly issues: WorkflowIssue[]) {
    const more = issues.length - LISTED;
    super(
      `${issues[0]?.file ?? 'The workflow file'} is not a valid workflow:\n${issues
        .slice(0, LISTED)
        .map(formatWorkflowIssue)
        .join('\n')}${more > 0 ? `\n(and ${more} more)` : ''}`,
      { errors: issues },
    );
  }
}
