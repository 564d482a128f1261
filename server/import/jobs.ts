// Imports from the page run as jobs, so that a big file's progress can be shown: the page that started
// one reloads a status page (meta refresh) until the board is made. Jobs live in memory only: the
// import itself is one transaction, so a restart mid-way leaves no board and the status page says so.
declare module 'fastify' {
  interface FastifyInstance {
    /** Imports started from the import page, with their progress. */
    importJobs: ImportJobs;
  }
}

export interface ImportProgress {
  phase: 'files' | 'board' | 'done' | 'failed';
  filesDone: number;
  filesTotal: number;
  boardId: string | null;
  error: string | null;
}

interface Job extends ImportProgress {
  userId: string;
  finished: Promise<void>;
  endedAt: number | null;
}

/** What a running import reports as it goes. */
export interface ProgressReport {
  files(done: number, total: number): void;
  board(): void;
}

/** Finished jobs are forgotten after this long (their status page then says "not running"). */
const KEEP_MS = 60 * 60 * 1000;

export class ImportJobs {
  private readonly jobs = new Map<string, Job>();

  /** Starts `work` under `key`; it answers the new board's id, or throws what the person should read. */
  start(key: string, userId: string, work: (report: ProgressReport) => Promise<string>, describeFailure: (error: unknown) => string): void {
    this.prune();
    const job: Job = { userId, phase: 'files', filesDone: 0, filesTotal: 0, boardId: null, error: null, endedAt: null, finished: Promise.resolve() };
    const report: ProgressReport = {
      files: (done, total) => Object.assign(job, { filesDone: done, filesTotal: total }),
      board: () => { job.phase = 'board'; },
    };
    job.finished = work(report).then(
      (boardId) => { Object.assign(job, { phase: 'done', boardId, endedAt: Date.now() }); },
      (error: unknown) => { Object.assign(job, { phase: 'failed', error: describeFailure(error), endedAt: Date.now() }); },
    );
    this.jobs.set(key, job);
  }

  /** The job's progress, for its owner only. */
  progress(key: string, userId: string): ImportProgress | undefined {
    const job = this.jobs.get(key);
    if (!job || job.userId !== userId) return undefined;
    const { phase, filesDone, filesTotal, boardId, error } = job;
    return { phase, filesDone, filesTotal, boardId, error };
  }

  /** Waits until the job ends or `ms` pass, whichever is first (small imports then need no status page). */
  async settle(key: string, ms: number): Promise<void> {
    const job = this.jobs.get(key);
    if (!job) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.finished, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
    clearTimeout(timer);
  }

  /** Waits for every job under way (the server is stopping). */
  async drain(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.finished));
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, job] of this.jobs) if (job.endedAt !== null && now - job.endedAt > KEEP_MS) this.jobs.delete(key);
  }
}
