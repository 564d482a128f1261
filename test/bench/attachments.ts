// npm run bench (third part): attachments. A 1 GiB upload beside `cat > file` on the same disk, a
// 700 MB download beside nginx serving the same file, and 100 concurrent range requests at random
// offsets; the server's RSS is sampled all along. curl is the client (C, little CPU), so on two cores the
// figures are about the servers. Sizes: BENCH_UPLOAD_MB, BENCH_DOWNLOAD_MB.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 1024);
const DOWNLOAD_MB = Number(process.env.BENCH_DOWNLOAD_MB ?? 700);
const RANGE_REQUESTS = 2000;
const RANGE_CONCURRENCY = 100;

interface ServerInfo { port: number; pid: number; cardPath: string; cookie: string; csrf: string; dataDir: string }

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** A file of `mb` MiB that does not compress or dedupe: random 1 MiB blocks. */
function makeFile(file: string, mb: number): void {
  const block = randomBytes(1024 * 1024);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mb; i++) {
    block.writeUInt32LE(i, 0);
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs `work` while sampling the process's RSS every 50 ms: seconds taken and the largest RSS growth. */
async function measured<T>(pid: number, work: () => Promise<T>): Promise<{ seconds: number; rssGrowth: number; result: T }> {
  const base = rssOf(pid);
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, rssOf(pid)); }, 50);
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, rssOf(pid));
  return { seconds, rssGrowth: peak - base, result };
}

const mbps = (bytes: number, seconds: number) => bytes / 1024 / 1024 / seconds;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function startNginx(root: string, work: string): Promise<{ port: number; stop: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  fs.mkdirSync(path.join(work, 'logs'), { recursive: true });
  const conf = path.join(work, 'nginx.conf');
  fs.writeFileSync(conf, `worker_processes 1;
daemon off;
pid ${work}/nginx.pid;
error_log ${work}/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path ${work}/body; proxy_temp_path ${work}/proxy; fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi; scgi_temp_path ${work}/scgi;
  server { listen 127.0.0.1:${port}; root ${root}; location / { } }
}
`);
  const child = spawn('nginx', ['-c', conf, '-p', work], { stdio: 'ignore' });
  // A missing nginx is an 'error' event: thrown here, so that main's finally still stops the server.
  let failed: Error | null = null;
  child.once('error', (error) => { failed = error; });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      http.get(`http://127.0.0.1:${port}/`, (r) => { r.resume(); resolve(true); }).on('error', () => resolve(false));
    });
    if (failed) throw new Error(`nginx did not start (${(failed as Error).message}): apt-get install nginx-light`);
    if (up) return { port, stop: () => child.kill('SIGTERM') };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGTERM');
  throw new Error('nginx did not answer within 5 s');
}

/** `count` GETs of 64 KiB at random offsets, `concurrency` at a time: latencies in ms. */
async function randomRanges(url: string, cookie: string, size: number, count: number, concurrency: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const one = () => new Promise<void>((resolve, reject) => {
    const start = Math.floor(Math.random() * (size - 65536));
    const began = performance.now();
    http.get(url, { agent, headers: { cookie, range: `bytes=${start}-${start + 65535}` } }, (response) => {
      let got = 0;
      response.on('data', (chunk: Buffer) => { got += chunk.length; });
      response.on('end', () => {
        if (response.statusCode !== 206 || got !== 65536) reject(new Error(`range answer ${response.statusCode}, ${got} bytes`));
        latencies.push(performance.now() - began);
        resolve();
      });
    }).on('error', reject);
  });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      await one();
    }
  }));
  agent.destroy();
  return latencies.sort((a, b) => a - b);
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wami-filebench-'));
  fs.chmodSync(work, 0o755); // nginx's worker (user nobody when started as root) reads the files too
  const serverScript = fileURLToPath(new URL(`attachment-server${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));
  const loader = serverScript.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, serverScript], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_DATA: path.join(work, 'data') } });
  const server = JSON.parse(await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve))) as ServerInfo;
  const base = `http://127.0.0.1:${server.port}`;
  try {
    // 1. Download beside nginx serving the stored file itself.
    const downloadFile = path.join(work, 'download.pdf');
    makeFile(downloadFile, DOWNLOAD_MB);
    const stored = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Cookie: ${server.cookie}`,
      '-F', `csrf=${server.csrf}`, '-F', `file=@${downloadFile};filename=manual.pdf`, `${base}${server.cardPath}/attachments`]);
    if (stored !== '303') throw new Error(`upload of the download file answered ${stored}`);
    fs.rmSync(downloadFile);
    const cardPage = await run('curl', ['-s', '-H', `Cookie: ${server.cookie}`, `${base}${server.cardPath}`]);
    const fileUrl = /href="([^"]+\/manual\.pdf)"/.exec(cardPage)?.[1];
    if (!fileUrl) throw new Error('no link to manual.pdf on the card page');
    const attachmentId = fileUrl.split('/').at(-2)!;
    const attachmentsRoot = path.join(server.dataDir, 'attachments');
    const storedPath = fs.readdirSync(attachmentsRoot, { recursive: true }).map(String).find((p) => p.endsWith(attachmentId))!;
    const nginx = await startNginx(attachmentsRoot, path.join(work, 'nginx'));
    const downloadBytes = DOWNLOAD_MB * 1024 * 1024;
    const curlDownload = (url: string) => run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', '-H', `Cookie: ${server.cookie}`, url]);
    const nginxRun = await measured(server.pid, () => curlDownload(`http://127.0.0.1:${nginx.port}/${storedPath}`));
    const wamiRun = await measured(server.pid, () => curlDownload(`${base}${fileUrl}`));
    const nginxAgain = await measured(server.pid, () => curlDownload(`http://127.0.0.1:${nginx.port}/${storedPath}`));
    const wamiAgain = await measured(server.pid, () => curlDownload(`${base}${fileUrl}`));
    nginx.stop();
    for (const r of [nginxRun, wamiRun, nginxAgain, wamiAgain]) {
      if (r.result !== `200 ${downloadBytes}`) throw new Error(`download answered ${r.result}`);
    }

    // 2. Random ranges, as a PDF viewer seeking in the big file.
    const ranges = await measured(server.pid, () => randomRanges(`${base}${fileUrl}`, server.cookie, downloadBytes, RANGE_REQUESTS, RANGE_CONCURRENCY));
    const at = (q: number) => ranges.result[Math.min(ranges.result.length - 1, Math.floor(q * ranges.result.length))]!.toFixed(1);

    // 3. Upload beside cat, last: the gigabytes it and cat write back would slow what follows (the source read from the page cache both times: written just before).
    const bigFile = path.join(work, 'upload.bin');
    makeFile(bigFile, UPLOAD_MB);
    const bytes = UPLOAD_MB * 1024 * 1024;
    const copy = path.join(server.dataDir, 'cat-copy.bin');
    /** Seconds for the shell command, best of two (the page cache makes single runs jumpy). */
    const timed = async (command: string) => {
      let best = Infinity;
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        await run('sh', ['-c', command]);
        best = Math.min(best, (performance.now() - started) / 1000);
        fs.rmSync(copy, { force: true });
      }
      return best;
    };
    const catSeconds = await timed(`cat "${bigFile}" > "${copy}"`);
    // The same, and on disk before it returns, as an acknowledged upload is (coreutils sync FILE: fsync)
    const catSyncSeconds = await timed(`cat "${bigFile}" > "${copy}" && sync "${copy}"`);
    // Uploaded as cat copied: twice, the previous copy deleted first, the better run counted.
    const uploadOnce = async () => {
      const result = await measured(server.pid, () => run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Cookie: ${server.cookie}`,
        '-F', `csrf=${server.csrf}`, '-F', `file=@${bigFile};filename=upload.bin`, `${base}${server.cardPath}/attachments`]));
      if (result.result !== '303') throw new Error(`upload answered ${result.result}`);
      const page = await run('curl', ['-s', '-H', `Cookie: ${server.cookie}`, `${base}${server.cardPath}`]);
      const id = /attachments\/(\w+)\/upload\.bin"/.exec(page)?.[1];
      await run('curl', ['-s', '-o', '/dev/null', '-H', `Cookie: ${server.cookie}`, '-d', `csrf=${server.csrf}&confirm=yes`,
        `${base}${server.cardPath}/attachments/${id}/delete`]);
      return result;
    };
    // The same body to a bare route of the same process that reads it and keeps nothing: what receiving
    // over loopback costs before any work is done.
    const receiveOnce = () => measured(server.pid, async () => {
      const status = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-F', `file=@${bigFile};filename=upload.bin`, `${base}/bench/receive`]);
      if (status !== '303') throw new Error(`bare receive answered ${status}`);
    });
    const receiveSeconds = Math.min((await receiveOnce()).seconds, (await receiveOnce()).seconds);
    const firstUpload = await uploadOnce();
    const secondUpload = await uploadOnce();
    const upload = firstUpload.seconds < secondUpload.seconds ? firstUpload : secondUpload;
    upload.rssGrowth = Math.max(firstUpload.rssGrowth, secondUpload.rssGrowth);
    fs.rmSync(bigFile);

    console.log(`\nAttachments (server in its own process; curl as the client; RSS sampled every 50 ms):`);
    console.log('| what | MB/s | vs baseline | server RSS growth |');
    console.log('|---|---|---|---|');
    console.log(`| \`cat > file\`, ${UPLOAD_MB} MiB on the data folder's disk, best of 2 | ${mbps(bytes, catSeconds).toFixed(0)} | 1.00 | |`);
    console.log(`| \`cat > file && sync file\` (on disk, as an upload is before its answer) | ${mbps(bytes, catSyncSeconds).toFixed(0)} | ${(catSeconds / catSyncSeconds).toFixed(2)} | |`);
    console.log(`| bare route of the same server reading the same upload, keeping nothing, best of 2 | ${mbps(bytes, receiveSeconds).toFixed(0)} | ${(catSeconds / receiveSeconds).toFixed(2)} | |`);
    console.log(`| upload of ${UPLOAD_MB} MiB (multipart, hashed, fsynced), best of 2 | ${mbps(bytes, upload.seconds).toFixed(0)} | ${(catSeconds / upload.seconds).toFixed(2)} (${(catSyncSeconds / upload.seconds).toFixed(2)} of cat+sync, ${(receiveSeconds / upload.seconds).toFixed(2)} of the bare route) | ${mb(upload.rssGrowth)} MB |`);
    const best = (a: typeof wamiRun, b: typeof wamiRun) => (a.seconds < b.seconds ? a : b);
    const nginxBest = best(nginxRun, nginxAgain);
    const wamiBest = best(wamiRun, wamiAgain);
    console.log(`| nginx serving the same ${DOWNLOAD_MB} MiB file (sendfile), best of 2 | ${mbps(downloadBytes, nginxBest.seconds).toFixed(0)} | 1.00 | |`);
    console.log(`| download of ${DOWNLOAD_MB} MiB from Wami, best of 2 | ${mbps(downloadBytes, wamiBest.seconds).toFixed(0)} | ${(nginxBest.seconds / wamiBest.seconds).toFixed(2)} | ${mb(Math.max(wamiRun.rssGrowth, wamiAgain.rssGrowth))} MB |`);
    console.log(`\n${RANGE_REQUESTS} range requests of 64 KiB at random offsets, ${RANGE_CONCURRENCY} at a time: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; server RSS growth ${mb(ranges.rssGrowth)} MB.`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
