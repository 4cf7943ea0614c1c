import type { HostListQuery } from '@memfleet/db';
import { RequestValidationError } from '../common/request-validation.error';
import { hostListQuerySchema } from './host.schemas';

const BRACKET_LABEL = /^labels\[(.+)\]$/;

/**
 * Turns the raw query string object into a repository query. Labels come two ways, both exact
 * matches: `label=env=prod` (repeatable) and `labels[env]=prod`. Express's simple query parser
 * leaves `labels[env]` as a literal key, which is what we match here.
 */
export function parseHostListQuery(raw: Record<string, unknown>): HostListQuery {
  const labels: Record<string, string> = {};
  const errors: { field: string; message: string }[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const bracket = BRACKET_LABEL.exec(key);
    if (!bracket) {
      rest[key] = value;
    } else if (typeof value === 'string') {
      labels[bracket[1] as string] = value;
    } else {
      errors.push({ field: key, message: 'give each label once' });
    }
  }
  const parsed = hostListQuerySchema.safeParse(rest);
  if (!parsed.success) {
    const fromZod = RequestValidationError.fromZod(parsed.error, 'query');
    throw new RequestValidationError([...fromZod.errors, ...errors], 'query');
  }
  const given = parsed.data.label;
  for (const pair of given === undefined ? [] : [given].flat()) {
    const eq = pair.indexOf('=');
    if (eq <= 0) errors.push({ field: 'label', message: `"${pair}" must look like key=value` });
    else labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (errors.length > 0) throw new RequestValidationError(errors, 'query');
  return {
    labels: Object.keys(labels).length > 0 ? labels : undefined,
    state: parsed.data.state,
    limit: parsed.data.limit,
    cursor: parsed.data.cursor,
  };
}
