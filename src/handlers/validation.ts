/**
 * zod's issues as the `errors` of a problem: one `{field, reason}` per offending field. An unknown
 * field is reported under its own name (zod reports it at the enclosing object, which would only
 * say "(body)"), so a caller who typed `yeras` reads `yeras: unknown field`. A union (a body that
 * may be a list or an object) is reported as the option the input's shape chose, so a list that is
 * too long reads "too long", not zod's "Invalid input" for the union.
 */
import type { z } from 'zod';

export interface FieldError {
  field: string;
  reason: string;
}

type Issue = z.core.$ZodIssue;

/**
 * The issues of the one union option whose shape the input had: every other option failed on the
 * input's type itself (an array given to the object option). Undefined when that is not one option.
 */
function chosenOption(issue: Extract<Issue, { code: 'invalid_union' }>): readonly Issue[] | undefined {
  const shaped = issue.errors.filter(
    (option) => !option.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  return shaped.length === 1 ? shaped[0] : undefined;
}

export function issueFields(issues: readonly Issue[], prefix = ''): FieldError[] {
  const join = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter((p) => p !== '').join('.') || '(body)';
  const fields = (list: readonly Issue[], base: readonly PropertyKey[]): FieldError[] =>
    list.flatMap((issue) => {
      const path = [...base, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ field: join([...path, key]), reason: 'unknown field' }));
      }
      const option = issue.code === 'invalid_union' ? chosenOption(issue) : undefined;
      if (option) return fields(option, path);
      return [{ field: join(path), reason: issue.message }];
    });
  return fields(issues, []);
}
