// Runs the shared HTML 4.01 validator (OpenSP against the W3C DTDs) on a page body.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../server/paths.js';

export const retroTools = process.env.WAMI_RETRO_TOOLS ?? path.resolve(projectRoot, '..', 'shared', 'tools', 'retro');

export function validateHtml(body: string | Buffer, name = 'page'): Promise<{ valid: boolean; report: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-html-'));
  const file = path.join(dir, `${name.replace(/[^\w-]/g, '_')}.html`);
  fs.writeFileSync(file, body);
  return new Promise((resolve, reject) => {
    execFile(path.join(retroTools, 'validate-html401.sh'), ['-q', file], (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
      if (code === 2) reject(new Error(`validator could not run: ${stderr || stdout}`));
      else resolve({ valid: code === 0, report: stdout + stderr });
    });
  });
}
