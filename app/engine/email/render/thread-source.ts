import { BLOCKED_TAGS, LIQUID_OPTIONS, RENDER_LIMITS, blockedTagMessage } from "./liquid";

/**
 * The render thread, as plain CommonJS started with `new Worker(source, { eval: true })`.
 * Not a .ts file next to us: in the Remix SSR bundle import.meta.url points at the bundle.
 * Keep it in step with mainThreadLiquid() in ./liquid (the tests render through both).
 */
export const THREAD_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const load = typeof require === "function"
  ? require
  : process.getBuiltinModule("node:module").createRequire(process.cwd() + "/");
const { Liquid } = load(workerData.liquidPath);

const noFiles = () => { throw new Error("templates cannot read files"); };
const liquid = new Liquid(Object.assign(${JSON.stringify(LIQUID_OPTIONS)}, {
  fs: {
    exists: async () => false, existsSync: () => false,
    readFile: async () => noFiles(), readFileSync: noFiles,
    resolve: (dir, file) => file, contains: async () => false, containsSync: () => false,
  },
}));
const limits = ${JSON.stringify(RENDER_LIMITS)};
const blockedMessages = ${JSON.stringify(Object.fromEntries(BLOCKED_TAGS.map((t) => [t, blockedTagMessage(t)])))};
for (const name of Object.keys(blockedMessages)) {
  liquid.registerTag(name, { parse() { throw new Error(blockedMessages[name]); }, render() { return ""; } });
}

// Merchants' templates repeat constantly: keep recent parses (Map keeps insertion order).
const parsed = new Map();
function parse(source) {
  let tpl = parsed.get(source);
  if (tpl) return tpl;
  tpl = liquid.parse(source);
  if (parsed.size >= 200) parsed.delete(parsed.keys().next().value);
  parsed.set(source, tpl);
  return tpl;
}

function describe(err) {
  const message = err && typeof err.message === "string" ? err.message : String(err);
  let line;
  try { line = err && err.token && err.token.getPosition()[0]; } catch (e) { line = undefined; }
  return { name: err && typeof err.name === "string" ? err.name : "Error", message, line };
}

// Oversized results are measured and dropped here, so they are never copied to the main thread.
parentPort.on("message", (job) => {
  let field = "subject";
  try {
    const subject = String(liquid.renderSync(parse(job.subject), job.context));
    if (subject.length > limits.subjectChars) {
      return parentPort.postMessage({ id: job.id, ok: false, field, tooLarge: { size: subject.length } });
    }
    field = "body";
    const body = String(liquid.renderSync(parse(job.body), job.context));
    const bodyBytes = Buffer.byteLength(body, "utf8");
    if (bodyBytes > limits.bodyBytes) {
      return parentPort.postMessage({ id: job.id, ok: false, field, tooLarge: { size: bodyBytes } });
    }
    parentPort.postMessage({ id: job.id, ok: true, subject, body });
  } catch (err) {
    parentPort.postMessage({ id: job.id, ok: false, field, error: describe(err) });
  }
});
parentPort.postMessage({ ready: true });
`;
