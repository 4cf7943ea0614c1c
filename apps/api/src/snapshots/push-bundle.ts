import {
  BUNDLE_FILES,
  SNAPSHOT_SECTIONS,
  type ParsedSnapshot,
  type SnapshotBundle,
} from '@memfleet/procfs';
import type { FieldError } from '../common/problem';
import { SnapshotRejectedError } from './snapshot.errors';

const SECTIONS = SNAPSHOT_SECTIONS;

/**
 * Push ingest is stricter than the SSH worker. The worker cannot ask the kernel again, so it keeps
 * a snapshot with the broken section marked missing (host degraded). A pusher is a program that
 * is answering us right now: if a file it chose to send does not parse, saying so (400, file and
 * line) gets the agent fixed, where a quietly degraded snapshot would hide it for months.
 * Sections that are merely unavailable (not sent, or an empty root-only file) are stored as
 * missing, exactly as the worker does. Without a usable meminfo there is no snapshot at all.
 */
export function assertPushable(bundle: SnapshotBundle, parsed: ParsedSnapshot): Date {
  const errors: FieldError[] = [];
  if (bundle.collectedAt === undefined) {
    errors.push({
      field: 'collectedAt',
      message: 'required for ingest: it identifies the snapshot, so a retried push stores it once',
    });
  }
  for (const name of SECTIONS) {
    const section = parsed[name];
    if (section.kind === 'error') {
      errors.push({ field: fieldOf(section.error.file), message: section.error.message });
    }
  }
  if (parsed.meminfo.kind === 'unavailable') {
    errors.push({
      field: fieldOf(BUNDLE_FILES.meminfo),
      message: `required: a snapshot without meminfo has nothing to diagnose (${parsed.meminfo.reason})`,
    });
  }
  if (errors.length > 0) throw new SnapshotRejectedError(errors);
  return new Date(bundle.collectedAt as string);
}

/** `files./proc/meminfo`: the JSON path of the file in the bundle; `ps` is a top-level field. */
const fieldOf = (file: string): string => (file === 'ps' ? 'ps' : `files.${file}`);

/**
 * Same rule as the worker: every section parsed is ok, any gap is degraded, and lastError says
 * which sections are missing and why.
 */
export function pushedHealth(parsed: ParsedSnapshot): {
  state: 'ok' | 'degraded';
  error: string | null;
} {
  const gaps = SECTIONS.flatMap((name) => {
    const section = parsed[name];
    return section.kind === 'unavailable' ? [`${name}: unavailable (${section.reason})`] : [];
  });
  return gaps.length === 0
    ? { state: 'ok', error: null }
    : { state: 'degraded', error: gaps.join('; ').slice(0, 500) };
}
