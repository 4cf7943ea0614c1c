import { readFile } from 'node:fs/promises';
import { snapshotBundleSchema } from '@memfleet/procfs';
import { InputError } from '../errors';
import { describeReadError } from './proc-tree.source';
import type { SnapshotInput } from './snapshot-input';

/** Reads a bundle from a file or, for '-', from stdin; validates it against the one schema. */
export async function readBundleFile(
  path: string,
  stdin: NodeJS.ReadableStream,
): Promise<SnapshotInput> {
  const name = path === '-' ? '<stdin>' : path;
  const text = path === '-' ? await readAll(stdin) : await readOrFail(path);
  return { ...parseBundleText(text, name), displayName: (p) => `${name}: ${p}` };
}

/** JSON text -> validated bundle, or an InputError naming the line of the problem. */
export function parseBundleText(text: string, name: string): Omit<SnapshotInput, 'displayName'> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    throw new InputError(name, jsonErrorLine(text, message), `not valid JSON: ${message}`);
  }
  const result = snapshotBundleSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = jsonPath(issue?.path ?? []);
    throw new InputError(
      name,
      lineOfKey(text, issue?.path),
      `not a snapshot bundle: ${where || '(top level)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { bundle: result.data, missing: new Map(), notes: [] };
}

/** `files["/proc/meminfo"]`, `pageSize`: the path as a JavaScript reader would write it. */
function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => {
      if (typeof k === 'number') return `[${k}]`;
      const key = String(k);
      if (/^[A-Za-z_$][\w$]*$/.test(key)) return i === 0 ? key : `.${key}`;
      return `[${JSON.stringify(key)}]`;
    })
    .join('');
}

/** V8 names a character position (`at position 42`) or a line (`line 3 column 5`). */
function jsonErrorLine(text: string, message: string): number | undefined {
  const byLine = /line (\d+) column/.exec(message);
  if (byLine) return Number(byLine[1]);
  const byPos = /at position (\d+)/.exec(message);
  if (byPos) return lineAt(text, Number(byPos[1]));
  // `Unexpected end of JSON input`: the problem is at the end.
  return /end of JSON/.test(message) ? lineAt(text, text.length) : undefined;
}

/** The line of the deepest string key of a validation path: close enough to point at it. */
function lineOfKey(text: string, path: readonly PropertyKey[] | undefined): number {
  const key = [...(path ?? [])].reverse().find((k): k is string => typeof k === 'string');
  if (key === undefined) return 1;
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? 1 : lineAt(text, at);
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

async function readOrFail(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(path, undefined, describeReadError(path, e).slice(path.length + 2));
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
