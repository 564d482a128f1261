// Load from a second process, as a real client would: wrk (C, Debian package `wrk`) rather than a Node
// client, since reading a 70 KB page costs a Node client more CPU than the server spends sending it, and
// on two cores the figure would then measure the client. One thread, no pipelining (old browsers never
// pipeline).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /**
   * Sends form posts (application/x-www-form-urlencoded) instead of GETs: these, in turn, to the given
   * paths (one wrk thread, so one shared turn), starting again after the last.
   */
  formPosts?: FormPost[];
}

export interface FormPost {
  path: string;
  body: string;
}

/** A wrk script that posts the forms in turn. */
function postScript(posts: FormPost[]): string {
  const table = posts.map((p) => `{ path = ${JSON.stringify(p.path)}, body = ${JSON.stringify(p.body)} }`).join(',\n');
  return `wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local posts = {
${table}
}
local turn = 0
request = function()
  turn = turn % #posts + 1
  return wrk.format("POST", posts[turn].path, nil, posts[turn].body)
end
`;
}

/** wrk's latency figures ("812.00us", "1.20ms", "2.01s") in milliseconds. */
function milliseconds(figure: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(figure);
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

export async function wrk(url: string, options: LoadOptions): Promise<LoadResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`);
  const scriptDir = options.formPosts?.length ? fs.mkdtempSync(path.join(os.tmpdir(), 'wami-wrk-')) : null;
  if (scriptDir) {
    const script = path.join(scriptDir, 'post.lua');
    fs.writeFileSync(script, postScript(options.formPosts!));
    args.push('-s', script);
  }
  try {
    const output = await new Promise<string>((resolve, reject) => {
      execFile('wrk', [...args, url], (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    const figure = (pattern: RegExp) => pattern.exec(output)?.[1] ?? '';
    const socketErrors = figure(/Socket errors: (.*)/).match(/\d+/g)?.map(Number).reduce((a, b) => a + b, 0) ?? 0;
    return {
      rps: Number(figure(/Requests\/sec:\s+([\d.]+)/)),
      p50: milliseconds(figure(/\s50%\s+(\S+)/)),
      p99: milliseconds(figure(/\s99%\s+(\S+)/)),
      // 3xx and 304 are answers; wrk counts only 4xx/5xx as "Non-2xx or 3xx"
      errors: socketErrors + Number(figure(/Non-2xx or 3xx responses: (\d+)/) || 0),
    };
  } finally {
    if (scriptDir) fs.rmSync(scriptDir, { recursive: true, force: true });
  }
}
