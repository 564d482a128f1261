// Drives real text browsers through the shared scripts in ../shared/tools/retro.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { retroTools } from './validate.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runTool(script: string, args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(path.join(retroTools, script), args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}

/** One scripted Lynx session (lynx-session.sh) sharing a cookie jar with the others. */
export async function lynx(url: string, steps: string[], jar: string): Promise<string> {
  const run = await runTool('lynx-session.sh', ['--cookies', jar, '--width', '160', url, ...steps]);
  if (run.code !== 0) throw new Error(`lynx-session.sh failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  return run.stdout;
}

/** A terminal browser (w3m, ELinks, links2) in tmux through tui-drive.sh. */
export async function tui(command: string[], steps: string[], options: { home: string; out?: string }): Promise<Run> {
  const args = ['--home', options.home, '--size', '160x60', '--timeout', '20'];
  for (const step of steps) args.push('-s', step);
  return runTool('tui-drive.sh', [...args, '--', ...command]);
}

/**
 * What a text browser's Tab walks through, in order: a meta refresh (shown as a link), links and visible
 * form fields. The position of
 * the element matching `selector` in that list: Lynx starts on the first one, so it is the number of
 * Tab presses from the top of the page.
 */
export function focusIndex(html: string, selector: string): number {
  const $ = cheerio.load(html);
  const focusable = $('a[href], input, select, textarea, button').filter((_, el) => $(el).attr('type') !== 'hidden').toArray();
  const target = $(selector).first().get(0);
  const index = target ? focusable.findIndex((el) => el === target) : -1;
  if (index < 0) throw new Error(`nothing focusable matches ${selector}`);
  // Lynx and w3m show a meta refresh as a link ("REFRESH(2 sec): URL") before everything else. Lynx starts
  // on the first link; w3m starts on it only when it is at the top-left corner, which the refresh line's
  // leading text is not: there w3m needs one Tab more (its test user turns auto-refresh off instead).
  return index + ($('meta[http-equiv=refresh]').length ? 1 : 0);
}

export function tabs(count: number): string[] {
  return Array.from({ length: count }, () => 'tab');
}

/** Tab presses as tmux key steps (w3m, ELinks, links2). */
export function tabKeys(count: number): string[] {
  return count > 0 ? [`keys ${Array.from({ length: count }, () => 'Tab').join(' ')}`] : [];
}

/**
 * One w3m run in tmux: waits for `ready` on the first page, runs the steps, waits for `done`, then
 * quits properly (q, y) so that w3m writes its cookie jar into `home` for the next run.
 */
export async function w3m(url: string, ready: string, steps: string[], done: string, home: string): Promise<string> {
  const screen = path.join(home, 'screen.txt');
  const run = await tui(['w3m', url], [`wait-text ${ready}`, ...steps, `wait-text ${done}`, `capture ${screen}`, 'keys q', 'sleep 0.3', 'keys y', 'sleep 0.5'], { home });
  if (run.code !== 0) throw new Error(`w3m run failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  return fs.readFileSync(screen, 'utf8');
}
