// `npm run wami -- COMMAND …`: what operators and scripts do to the data without a browser. Works on
// the store the server's settings name (WAMI_DATABASE_URL, else WAMI_DATA, default ./wekandata), also
// while the server runs: SQLite takes both, one writer at a time. Backup and restore are SQLite's; on
// PostgreSQL they are pg_dump's. New passwords are read from standard input, out of shell history.
import { inWords, translator, type Localized } from './i18n/messages.js';
import fs from 'node:fs';
import readline from 'node:readline';
import { loadConfig } from './config.js';
import { parseLegacyUsers } from './legacy-users.js';
import { hashPassword } from './passwords.js';
import { SchemaTooNewError } from './store/db.js';
import { Store, SqliteStore } from './store/index.js';
import { openConfiguredStore } from './store/open.js';
import { DatabaseUnreachable } from './store/pg-store.js';
import { EmailTakenError, UsernameTakenError } from './store/users.js';
import { backup, BackupRefused, checkData, restore, type CheckReport } from './backup.js';
import { MigrationRefused, migrateToPostgres } from './store/to-postgres.js';
import { migrateFromWekan, WekanUnreachable, type MigrationSummary } from './migrate-from-wekan.js';
import { AttachmentFiles } from './files/storage.js';
import { checkEmail, checkNewPassword, checkUsername } from './validation.js';
import { hashToken, newToken } from './web/session.js';

const USAGE = `usage: npm run wami -- COMMAND
  import-users FILE          accounts from the old Wami users.csv (username:password:email:isAdmin)
  create-admin USERNAME EMAIL   a site admin; the password is read from standard input
  reset-password USERNAME    a new password, read from standard input; ends the user's sessions
  create-token USERNAME      a long-lived API token (Bearer), printed once
  backup DIR                 a consistent copy of the database and its attachment files into DIR
                             (new or empty), while the server runs and takes writes
  restore DIR                a backup made by \`backup\` onto an empty data folder (the server stopped)
  check                      the database's integrity, every attachment file against its size and
                             SHA-256, and files no attachment names (orphans); exit 1 on any finding
  migrate-to-postgres [URL]  the SQLite database copied into an empty PostgreSQL database (URL, else
                             WAMI_DATABASE_URL), each table's rows counted on both sides
  migrate-from-wekan URL USER  every board USER belongs to on the WeKan at URL, through its REST API
                             (password on standard input); run it again to go on after a failure
The data: PostgreSQL at WAMI_DATABASE_URL when it is set, else the folder WAMI_DATA (default ./wekandata).
On PostgreSQL, back up and restore with pg_dump and pg_restore; check looks at the attachment files.`;

class UsageError extends Error {}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function checkedOrExit<T>(result: { ok: true; value: T } | { ok: false; error: Localized }): T {
  if (!result.ok) throw new UsageError(inWords(result.error, translator('en')));
  return result.value;
}

async function importUsers(store: Store, file: string): Promise<number> {
  if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const { accounts, problems } = parseLegacyUsers(fs.readFileSync(file, 'utf8'));
  const hashed = await Promise.all(accounts.map(async (a) => ({ ...a, passwordHash: await hashPassword(a.password) })));
  let imported = 0;
  await store.atomically(async () => {
    for (const account of hashed) {
      try {
        const user = await store.users.create({ username: account.username, email: account.email, passwordHash: account.passwordHash, emailProven: true });
        await store.users.setAdmin(user.id, account.isAdmin || !!user.isAdmin);
        imported++;
      } catch (error) {
        if (!(error instanceof UsernameTakenError || error instanceof EmailTakenError)) throw error;
        problems.push({ line: account.line, reason: `${error.message}: left as it is` });
      }
    }
  });
  console.log(`${imported} account${imported === 1 ? '' : 's'} imported, passwords hashed.`);
  for (const problem of problems.sort((a, b) => a.line - b.line)) console.log(`line ${problem.line}: ${problem.reason}`);
  return problems.length ? 1 : 0;
}

function printCheck(report: CheckReport): number {
  const sound = report.integrity === null || (report.integrity.length === 1 && report.integrity[0] === 'ok');
  if (report.integrity === null) console.log('database: PostgreSQL checks its own pages (not done here)');
  else console.log(sound ? 'database: integrity_check ok' : `database: ${report.integrity.join('; ')}`);
  console.log(`attachments: ${report.attachments} checked, ${report.missing.length} missing, ${report.damaged.length} damaged, ${report.orphans.length} orphan files`);
  for (const id of report.missing) console.log(`missing: attachment ${id} has no file`);
  for (const { id, reason } of report.damaged) console.log(`damaged: attachment ${id}: ${reason}`);
  for (const file of report.orphans) console.log(`orphan: ${file} (no attachment names it)`);
  return sound && !report.missing.length && !report.damaged.length && !report.orphans.length ? 0 : 1;
}

/** What came over from WeKan, board by board; exit 1 when a board did not (a second run tries it again). */
function printMigration(summary: MigrationSummary): number {
  const migrated = summary.boards.filter((b) => b.wamiId && !b.earlier);
  const earlier = summary.boards.filter((b) => b.earlier);
  const failed = summary.boards.filter((b) => b.failure);
  console.log(`Migrated ${migrated.length} board${migrated.length === 1 ? '' : 's'}`
    + `${earlier.length ? ` (${earlier.length} migrated by an earlier run)` : ''}${failed.length ? `; ${failed.length} not: run again to retry them` : ''}.`);
  for (const b of migrated) console.log(`  ${b.title}: ${b.lists} lists, ${b.cards} cards, ${b.attachments} files, ${b.members} members`);
  for (const b of failed) console.log(`  ${b.title}: NOT migrated: ${b.failure}`);
  if (summary.accountsMade.length) {
    console.log(`Accounts made for people Wami did not know (no password yet: they use "Forgot password", or an admin's reset link): ${summary.accountsMade.join(', ')}`);
  }
  return failed.length ? 1 : 0;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const config = loadConfig();
  const { dataDir, attachmentsDir } = config;
  const onPostgres = Boolean(config.databaseUrl);
  if ((command === 'backup' || command === 'restore') && onPostgres) {
    throw new UsageError(`${command} copies a SQLite data folder; with WAMI_DATABASE_URL set, `
      + "use PostgreSQL's pg_dump and pg_restore (and copy WAMI_ATTACHMENTS_DIR)");
  }
  if (command === 'restore') {
    // Before any store is opened: opening one would make a wami.db in the folder to restore into.
    if (rest.length !== 1) throw new UsageError(USAGE);
    const restored = await restore(rest[0]!, dataDir, attachmentsDir);
    console.log(`Restored the backup of ${restored.createdAt} into ${dataDir}: ${restored.attachments} attachment files. Run \`npm run wami -- check\` to verify them.`);
    return 0;
  }
  // Each write commits by itself: what the command prints is then already on disk. The copy to
  // PostgreSQL reads the SQLite folder whatever the settings say (its target is WAMI_DATABASE_URL).
  const store = command === 'migrate-to-postgres'
    ? Store.open(dataDir, { groupCommit: false }) : await openConfiguredStore(config, { groupCommit: false });
  try {
    switch (command) {
      case 'import-users':
        if (rest.length !== 1) throw new UsageError(USAGE);
        return await importUsers(store, rest[0]!);
      case 'create-admin': {
        if (rest.length !== 2) throw new UsageError(USAGE);
        const username = checkedOrExit(checkUsername(rest[0]!));
        const email = checkedOrExit(checkEmail(rest[1]!));
        const password = checkedOrExit(checkNewPassword(await readPassword()));
        try {
          const user = await store.users.create({ username, email, passwordHash: await hashPassword(password), emailProven: true });
          await store.users.setAdmin(user.id, true);
          console.log(`Site admin ${username} created.`);
        } catch (error) {
          if (error instanceof UsernameTakenError || error instanceof EmailTakenError) throw new UsageError(error.message);
          throw error;
        }
        return 0;
      }
      case 'reset-password': {
        if (rest.length !== 1) throw new UsageError(USAGE);
        const user = await store.users.byUsername(rest[0]!);
        if (!user) throw new UsageError(`no user ${rest[0]}`);
        const password = checkedOrExit(checkNewPassword(await readPassword()));
        await store.users.setPassword(user.id, await hashPassword(password), null);
        console.log(`Password of ${user.username} changed; their sessions are ended.`);
        return 0;
      }
      case 'create-token': {
        if (rest.length !== 1) throw new UsageError(USAGE);
        const user = await store.users.byUsername(rest[0]!);
        if (!user) throw new UsageError(`no user ${rest[0]}`);
        const token = newToken();
        await store.apiTokens.create(hashToken(token), user.id, 'api', null);
        console.log(token);
        return 0;
      }
      case 'backup': {
        if (rest.length !== 1) throw new UsageError(USAGE);
        const made = await backup(store as SqliteStore, attachmentsDir, rest[0]!);
        console.log(`Backed up into ${rest[0]}: the database (schema ${made.schema}) and ${made.attachments} attachment files (${made.attachmentBytes} bytes).`);
        if (made.leftOut) console.log(`${made.leftOut} attachments deleted while the backup ran are left out of it.`);
        return 0;
      }
      case 'migrate-to-postgres': {
        if (rest.length > 1) throw new UsageError(USAGE);
        const url = rest[0] ?? process.env.WAMI_DATABASE_URL ?? '';
        if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('give the PostgreSQL database as postgres://… (or set WAMI_DATABASE_URL)');
        const report = await migrateToPostgres((store as SqliteStore).db, url);
        for (const { table, rows } of report.tables) console.log(`${table}: ${rows} rows copied and counted`);
        console.log('Copied into PostgreSQL. Attachment files stay where they are: put them in a folder every instance shares (WAMI_ATTACHMENTS_DIR).');
        return 0;
      }
      case 'migrate-from-wekan': {
        if (rest.length !== 2) throw new UsageError(USAGE);
        const context = { store, files: new AttachmentFiles(dataDir, attachmentsDir), wamiConfig: config };
        const summary = await migrateFromWekan(context, rest[0]!, rest[1]!, await readPassword(), (line) => console.log(line));
        return printMigration(summary);
      }
      case 'check':
        if (rest.length !== 0) throw new UsageError(USAGE);
        return printCheck(await checkData(store, attachmentsDir));
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    // SQLite's at once: nothing is waiting to commit, as each write committed by itself
    if (store instanceof SqliteStore) store.closeNow();
    else await store.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  const refused = [UsageError, BackupRefused, MigrationRefused, SchemaTooNewError, WekanUnreachable].some((kind) => error instanceof kind);
  if (refused) {
    console.error(`wami: ${(error as Error).message}`);
    process.exit(2);
  }
  if (error instanceof DatabaseUnreachable) {
    console.error(`wami: ${error.message}`);
    process.exit(3);
  }
  console.error(error);
  process.exit(1);
});
