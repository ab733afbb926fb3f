/**
 * zod's issues as the `errors` of a problem: one `{field, reason}` per offending field. An unknown
 * field is reported under its own name (zod reports it at the enclosing object, which would only
 * say "(body)"), so a caller who typed `yeras` reads `yeras: unknown field`.
 */
import type { z } from 'zod';

export interface FieldError {
  field: string;
  reason: string;
}

export function issueFields(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
  const join = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter((p) => p !== '').join('.') || '(body)';
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: join([...issue.path, key]), reason: 'unknown field' }))
      : [{ field: join(issue.path), reason: issue.message }],
  );
}
