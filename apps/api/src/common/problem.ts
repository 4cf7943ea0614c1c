import { z } from 'zod';

/** RFC 9457 problem details: the one error body of the API. */
export const problemSchema = z.object({
  type: z.string().describe('URI naming the kind of problem; stable, match on it'),
  title: z.string().describe('Short summary of the kind of problem'),
  status: z.number().int(),
  detail: z.string().describe('What went wrong with this request'),
  instance: z.string().describe('Path of the request'),
  requestId: z.string().describe('Also in the x-request-id header; quote it in reports'),
  errorId: z.string().optional().describe('Only on 500: the id under which the error was logged'),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('One entry per invalid field'),
});

export type Problem = z.infer<typeof problemSchema>;
export type FieldError = NonNullable<Problem['errors']>[number];

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Problem types are URNs: stable identifiers that do not pretend to be documentation pages. */
export const problemType = (slug: string): string => `urn:memfleet:problem:${slug}`;
