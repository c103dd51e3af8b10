import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { RawLiquidError } from "./liquid";
import { CATALOGS } from "../../i18n/catalogs";
import { THREAD_SOURCE } from "./thread-source";

export interface ThreadJob {
  subject: string;
  body: string;
  context: unknown;
  /** The catalogue the `t` filter reads (translate.ts textLocaleFor); English when absent. */
  textLocale?: string;
}
export type ThreadReply =
  | { ok: true; subject: string; body: string }
  | { ok: false; field: "subject" | "body"; error: RawLiquidError }
  | { ok: false; field: "subject" | "body"; tooLarge: { size: number } }
  | { ok: false; timeout: true }
  | { ok: false; outOfMemory: true };

interface Pending {
  id: number;
  job: ThreadJob;
  timeoutMs: number;
  resolve: (r: ThreadReply) => void;
  reject: (e: unknown) => void;
}

// One warm thread, one job at a time; the timeout starts when the job reaches the thread.
let worker: Worker | null = null;
let ready = false;
let current: { pending: Pending; timer: NodeJS.Timeout } | null = null;
const queue: Pending[] = [];
let nextId = 1;

function modulePath(name: string): string {
  // Resolve from this module (or the server bundle); fall back to the process's cwd.
  for (const base of [import.meta.url, `${process.cwd()}/`]) {
    try {
      return createRequire(base).resolve(name);
    } catch {
      /* next */
    }
  }
  return name;
}

function spawn(): Worker {
  const w = new Worker(THREAD_SOURCE, {
    eval: true,
    execArgv: [], // plain JS: no tsx/vitest loaders needed in the thread
    workerData: { liquidPath: modulePath("liquidjs"), messageFormatPath: modulePath("intl-messageformat"), catalogs: CATALOGS },
    resourceLimits: { maxOldGenerationSizeMb: 128 },
    stdout: false,
  });
  ready = false;
  w.on("message", (msg: { ready?: true; id?: number } & Record<string, unknown>) => {
    if (w !== worker) return;
    if (msg.ready) {
      ready = true;
      return dispatch();
    }
    if (!current || msg.id !== current.pending.id) return;
    const { resolve } = finish();
    resolve(msg as unknown as ThreadReply);
  });
  w.on("error", (err: Error & { code?: string }) => {
    if (w !== worker) return;
    drop(err.code === "ERR_WORKER_OUT_OF_MEMORY" ? { ok: false, outOfMemory: true } : err);
  });
  w.on("exit", (code) => {
    if (w === worker) drop(new Error(`email render thread exited with code ${code}`));
  });
  return w;
}

function finish(): Pending {
  const { pending, timer } = current!;
  clearTimeout(timer);
  current = null;
  queueMicrotask(dispatch);
  return pending;
}

/** The thread died: the running job gets `outcome`; if it never started, queued jobs fail too. */
function drop(outcome: ThreadReply | Error): void {
  const wasReady = ready;
  worker = null;
  ready = false;
  const victims = current ? [finish()] : wasReady ? [] : queue.splice(0);
  for (const p of victims) {
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }
  queueMicrotask(dispatch);
}

function dispatch(): void {
  if (!worker && queue.length > 0) worker = spawn();
  if (!worker) return;
  // Hold the process open only while there is work; an idle warm thread must not.
  if (queue.length > 0 || current) worker.ref();
  else worker.unref();
  if (!ready || current || queue.length === 0) return;
  const pending = queue.shift()!;
  const w = worker;
  const timer = setTimeout(() => {
    if (current?.pending !== pending) return;
    worker = null;
    ready = false;
    void w.terminate();
    finish().resolve({ ok: false, timeout: true });
  }, pending.timeoutMs);
  current = { pending, timer };
  try {
    w.postMessage({ id: pending.id, ...pending.job });
  } catch (err) {
    finish().reject(err); // e.g. a context holding functions (DataCloneError): a caller bug
  }
}

export function runInThread(job: ThreadJob, timeoutMs: number): Promise<ThreadReply> {
  return new Promise((resolve, reject) => {
    queue.push({ id: nextId++, job, timeoutMs, resolve, reject });
    dispatch();
  });
}

/** Starts the thread ahead of the first render (optional). */
export function warmRenderThread(): void {
  if (!worker) {
    worker = spawn();
    worker.unref();
  }
}

/** Stops the thread (graceful shutdown, tests); a running render is rejected, later ones start a new thread. */
export async function stopRenderThread(): Promise<void> {
  const w = worker;
  worker = null;
  ready = false;
  if (current) finish().reject(new Error("email render thread stopped"));
  if (w) await w.terminate();
}
