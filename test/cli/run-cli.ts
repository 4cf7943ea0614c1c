import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './fixture-bundle';

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI in a child process, exactly as a user would, through its TypeScript entry
 * point (swc-node, the same transpiler as `npm run bench`) so the specs need no prior build.
 * Set MEMFLEET_CLI_BUILT=1 to run the built dist/ entry instead, via bin/memfleet.js.
 */
export function runCli(
  args: readonly string[],
  stdin?: string,
  options: { readonly asUser?: string; readonly env?: Record<string, string> } = {},
): Promise<CliResult> {
  const argv =
    process.env['MEMFLEET_CLI_BUILT'] === '1'
      ? [join(REPO, 'bin/memfleet.js'), ...args]
      : ['-r', '@swc-node/register', join(REPO, 'apps/cli/src/main.ts'), ...args];
  return new Promise((resolve, reject) => {
    // runuser (util-linux) drops root for the child, as a user without sudo would run it.
    const [cmd, cmdArgs] = options.asUser
      ? ['runuser', ['-u', options.asUser, '--', process.execPath, ...argv]]
      : [process.execPath, argv];
    const child = spawn(cmd, cmdArgs, {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI with its stdout on a pseudo-terminal (util-linux `script`), to see what a user
 * at a terminal sees. `env` is added to the child's environment.
 */
export function runCliOnTty(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  const argv = ['-r', '@swc-node/register', join(REPO, 'apps/cli/src/main.ts'), ...args];
  const command = [process.execPath, ...argv].map(shellQuote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
