import { writeFile } from 'node:fs/promises';
import { parseBundle } from '@memfleet/procfs';
import { diagnoseSnapshot } from '@memfleet/analysis';
import { USAGE, parseCommand, type Command } from './args';
import {
  EXIT_FAILURE,
  EXIT_INVALID_INPUT,
  EXIT_OK,
  EXIT_USAGE,
  InputError,
  OutputError,
  UsageError,
} from './errors';
import { toJson } from './report/json';
import { buildReport, inputErrors } from './report/inspect-report';
import { renderHuman } from './render/human.render';
import { loadInput } from './sources/load-input';
import { packageVersion } from './version';

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(s: string): unknown };
  /** NO_COLOR convention (https://no-color.org): set and non-empty disables colour. */
  readonly noColorEnv: boolean;
}

/** Runs one command line and returns the exit status; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(parseCommand(argv), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`memfleet: ${e.message}\nTry 'memfleet --help'.\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.stderr.write(`memfleet: ${e.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (e instanceof OutputError) {
      io.stderr.write(`memfleet: ${e.message}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`memfleet: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

async function run(cmd: Command, io: CliIo): Promise<number> {
  switch (cmd.name) {
    case 'help':
      io.stdout.write(USAGE);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`memfleet ${packageVersion()}\n`);
      return EXIT_OK;
    case 'capture': {
      const input = await loadInput(cmd.source, io.stdin);
      const text = toJson(input.bundle) + '\n';
      if (cmd.output === '-') io.stdout.write(text);
      else await save(cmd.output, text);
      for (const reason of input.missing.values()) io.stderr.write(`memfleet: ${reason}\n`);
      return EXIT_OK;
    }
    case 'inspect': {
      const input = await loadInput(cmd.source, io.stdin);
      if (cmd.saveBundle !== undefined) await save(cmd.saveBundle, toJson(input.bundle) + '\n');
      const parsed = parseBundle(input.bundle);
      const report = buildReport(input, parsed, diagnoseSnapshot(parsed), cmd.source, cmd.top);
      const color = cmd.color ?? (io.stdout.isTTY === true && !io.noColorEnv);
      io.stdout.write(cmd.json ? toJson(report) + '\n' : renderHuman(report, { color }));
      // A file that is not what the kernel prints is invalid input: the rest is still reported
      // above, and each bad file is named here with its line.
      const errors = inputErrors(parsed, input);
      for (const e of errors) io.stderr.write(`memfleet: ${e.message}\n`);
      return errors.length > 0 ? EXIT_INVALID_INPUT : EXIT_OK;
    }
  }
}

async function save(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (e) {
    throw new OutputError(`${path}: cannot write: ${(e as Error).message}`);
  }
}
