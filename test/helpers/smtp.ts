// A real SMTP server on loopback for a test (the `smtp-server` package), keeping every message it
// receives, parsed (`mailparser`). It can be stopped and started again on the same port: a mail server
// that is down for a while.
import type { Test } from 'tap';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports.js';

export interface TestSmtp {
  /** smtp://127.0.0.1:PORT, for WAMI_SMTP_URL. */
  url: string;
  received: ParsedMail[];
  /** The raw text of each message, as it came (headers as sent). */
  raw: string[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtp(t: Test, { running = true } = {}): Promise<TestSmtp> {
  const port = await freePort();
  const received: ParsedMail[] = [];
  const raw: string[] = [];
  let server: SMTPServer | null = null;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const text = Buffer.concat(chunks);
          raw.push(text.toString('utf8'));
          simpleParser(text).then((mail) => { received.push(mail); callback(); }, callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
  };
  const stop = async () => {
    const running = server;
    server = null;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  };
  if (running) await start();
  t.teardown(stop);
  return { url: `smtp://127.0.0.1:${port}`, received, raw, stop, start };
}
