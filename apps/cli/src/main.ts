import { runCli } from './cli';

// The only place that touches the process: argv, the standard streams, the environment, the exit code.
void runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  noColorEnv: (process.env['NO_COLOR'] ?? '') !== '',
}).then((code) => {
  process.exitCode = code;
});
