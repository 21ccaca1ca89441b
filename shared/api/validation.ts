import type { z } from 'zod';

/** One readable sentence per problem, naming where it is: `graph.nodes[2].id: expected string`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
        '',
      );
      return `${path || '(top level)'}: ${issue.message}`;
    })
    .join('; ');
}
