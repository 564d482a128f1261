// Drives real text browsers through the shared scripts in ../shared/tools/retro.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/**
 * ELinks' number for the element matching `selector` (1-based, as its link numbering shows them): links,
 * visible form fields and buttons in page order, where a link holding a picture counts once for the
 * picture ([IMG]) and once more for its text. ELinks starts on number 1, so Down is pressed number - 1
 * times to reach it. A meta refresh is not a link in ELinks (it follows it).
 */
export function elinksNumber(html: string, selector: string): number {
  const $ = cheerio.load(html);
  const target = $(selector).first().get(0);
  if (!target) throw new Error(`nothing matches ${selector}`);
  let number = 0;
  for (const el of $('a[href], input, select, textarea, button').toArray()) {
    if ($(el).attr('type') === 'hidden') continue;
    if (el.tagName === 'a') {
      number += $(el).find('img').length + ($(el).text().trim() ? 1 : 0);
      if (el === target) return number;
    } else {
      number += 1;
      if (el === target) return number;
    }
  }
  throw new Error(`${selector} is not a link or a form field`);
}

/** Down presses (ELinks, links2) as one tmux key step. */
export function downKeys(count: number): string[] {
  return count > 0 ? [`keys ${Array.from({ length: count }, () => 'Down').join(' ')}`] : [];
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
 * quits properly (q, y) so that w3m writes its cookie jar into `home` for the next run. `options`: w3m's
 * own, such as `-o editor=…` (w3m edits a text area in an external editor).
 */
export async function w3m(url: string, ready: string, steps: string[], done: string, home: string, options: string[] = []): Promise<string> {
  const screen = path.join(home, 'screen.txt');
  const run = await tui(['w3m', ...options, url], [`wait-text ${ready}`, ...steps, `wait-text ${done}`, `capture ${screen}`, 'keys q', 'sleep 0.3', 'keys y', 'sleep 0.5'], { home });
  if (run.code !== 0) throw new Error(`w3m run failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  return fs.readFileSync(screen, 'utf8');
}

/**
 * One ELinks or links2 run in tmux: waits for `ready`, runs the steps, waits for `done`, keeps the screen,
 * then quits (q, y) so the browser writes its cookies into `home` for the next run. `home` must already
 * hold ~/.elinks or ~/.links2 (browserHome), or the first run starts with a welcome dialog.
 */
export async function textBrowser(browser: 'elinks' | 'links2', url: string, ready: string, steps: string[], done: string, home: string): Promise<string> {
  const screen = path.join(home, 'screen.txt');
  fs.rmSync(screen, { force: true });
  const run = await tui([browser, url], [`wait-text ${ready}`, 'sleep 1', ...steps, `wait-text ${done}`, `capture ${screen}`, 'keys q', 'sleep 0.3', 'keys y', 'sleep 0.5'], { home });
  if (run.code !== 0) throw new Error(`${browser} run failed (${run.code}): ${run.stderr}\n${run.stdout}`);
  return fs.readFileSync(screen, 'utf8');
}

/** A fresh HOME for ELinks and links2, with their profile folders made (no welcome dialogs). */
export function browserHome(prefix: string): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(home, '.elinks'));
  fs.mkdirSync(path.join(home, '.links2'));
  return home;
}
