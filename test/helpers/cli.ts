// The command-line tool (`npm run wami -- …`) run as its own process on a data folder, through tsx.
import { execFile } from 'node:child_process';

export function wami(dataDir: string, args: string[], input = '', env: Record<string, string> = {})
  : Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, WAMI_DATA: dataDir, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    child.stdin!.end(input);
  });
}
