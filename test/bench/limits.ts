// npm run bench (the limits): the heaviest request that each input-driven limit (server/limits.ts) still
// lets through, sent over HTTP to a real server on loopback, while another client asks /healthz every
// 5 ms. Printed per request: its time, and the slowest /healthz answer meanwhile (how long the server
// could not answer anyone else). Step 12's target: /healthz under 100 ms throughout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { MAX } from '../../server/limits.js';
import { Store } from '../../server/store/index.js';
import { watchHealthz } from '../helpers/healthz.js';

interface Measured { label: string; status: number; ms: number; healthWorstMs: number; pings: number }

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-limits-'));
  const store = Store.open(dataDir);
  const app = await buildApp({ config: loadConfig({ WAMI_DATA: dataDir, WAMI_LOG: 'false', WAMI_BODY_LIMIT: String(8 * 1024 * 1024) }), store });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const json = (method: string, url: string, body: unknown, token?: string) => fetch(base + url, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
  });
  await json('POST', '/users/register', { username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
  const { token } = await (await json('POST', '/users/login', { username: 'alice', password: 'correct horse battery' })).json() as { token: string };
  const api = async (method: string, url: string, body?: unknown) => (await json(method, url, body, token)).json() as Promise<Record<string, string>>;
  const basic = `Basic ${Buffer.from('alice:correct horse battery').toString('base64')}`;

  const results: Measured[] = [];
  async function measure(label: string, request: () => Promise<Response>) {
    const health = watchHealthz(base, 5);
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    const ms = performance.now() - started;
    const { worstMs, answers } = await health.stop();
    results.push({ label, status: response.status, ms, healthWorstMs: worstMs, pings: answers });
  }

  const board = await api('POST', '/api/boards', { title: 'Limits' });
  const list = await api('POST', `/api/boards/${board._id}/lists`, { title: 'List' });
  const card = await api('POST', `/api/boards/${board._id}/lists/${list._id}/cards`, { title: 'Card', swimlaneId: board.defaultSwimlaneId });
  const items = Array.from({ length: MAX.itemsPerChecklist }, (_, i) => `Item number ${i} of a long checklist`);
  await measure(`checklist with ${MAX.itemsPerChecklist} items (API)`, () =>
    json('POST', `/api/boards/${board._id}/cards/${card._id}/checklists`, { title: 'Long', items }, token));

  const csv = `Title,Stage,Swimlane,Labels,Description\n${Array.from({ length: MAX.cardsPerImport },
    (_, i) => `Card ${i},Stage ${i % MAX.listsPerBoard},Lane ${i % MAX.swimlanesPerBoard},l${i % 50}-red,Notes for card ${i}`).join('\n')}\n`;
  await measure(`CSV import: ${MAX.cardsPerImport} cards, ${MAX.listsPerBoard} lists × ${MAX.swimlanesPerBoard} swimlanes (${Math.round(csv.length / 1024)} KB)`, () =>
    json('POST', '/api/boards/import', { board: csv, importSource: 'csv' }, token));
  const imported = (await store.sql.one<{ id: string; slug: string }>("SELECT id, slug FROM boards WHERE title = 'Imported board'"))!;

  await measure(`its board page (${MAX.listsPerBoard} lists × ${MAX.swimlanesPerBoard} swimlanes, ${MAX.cardsPerImport} cards)`, () =>
    fetch(`${base}/b/${imported.id}/${imported.slug}`, { headers: { authorization: basic } }));

  const cardIds = await store.sql.column<string>('SELECT id FROM cards WHERE board_id = ? LIMIT ?', imported.id, MAX.valuesPerField);
  const firstList = (await store.sql.value<string>('SELECT id FROM lists WHERE board_id = ? ORDER BY sort LIMIT 1', imported.id))!;
  const firstLane = (await store.sql.value<string>('SELECT id FROM swimlanes WHERE board_id = ? ORDER BY sort LIMIT 1', imported.id))!;
  const page = await (await fetch(`${base}/`, { headers: { authorization: basic } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
  const moveBody = new URLSearchParams([['csrf', csrf] as [string, string], ['listId', firstList], ['swimlaneId', firstLane], ['position', 'bottom'],
    ...cardIds.map((id): [string, string] => ['card', id])]);
  await measure(`${cardIds.length} ticked cards moved at once (board form)`, () => fetch(`${base}/b/${imported.id}/${imported.slug}/selected`,
    { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: moveBody, redirect: 'manual' }));

  await measure(`export of that board (API)`, () => fetch(`${base}/api/boards/${imported.id}/export`, { headers: { authorization: `Bearer ${token}` } }));
  const exported = await (await fetch(`${base}/api/boards/${imported.id}/export`, { headers: { authorization: `Bearer ${token}` } })).text();
  await measure(`that export imported again (API, ${Math.round(exported.length / 1024 / 1024)} MB of JSON)`, () => fetch(`${base}/api/boards/import`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: `{"board": ${exported}}` }));
  await measure(`deleting that board (API)`, () => fetch(`${base}/api/boards/${imported.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }));

  console.log('\nThe heaviest request within each limit, over HTTP, with /healthz asked every 5 ms meanwhile');
  console.log('| request | status | time (ms) | slowest /healthz meanwhile (ms) | /healthz answers |');
  console.log('|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.status} | ${Math.round(r.ms)} | ${Math.round(r.healthWorstMs)} | ${r.pings} |`);
  await app.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
