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
const { IntlMessageFormat } = load(workerData.messageFormatPath);

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

// {{ 'key' | t: name: value, … }}: a message of the job's catalogue (translate.ts formatMessage does
// the same on the main thread; a message can test <name>_given when a value is missing).
const catalogs = workerData.catalogs;
let textLocale = "en";
const messages = new Map();
liquid.registerFilter("t", (key, ...args) => {
  const catalog = catalogs[textLocale] || catalogs.en;
  const source = Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : undefined;
  if (source === undefined) throw new Error('Unknown text "' + key + '"');
  const id = textLocale + "\u0000" + key;
  let message = messages.get(id);
  if (!message) messages.set(id, (message = new IntlMessageFormat(source, textLocale)));
  const values = {};
  for (const arg of args) {
    if (!Array.isArray(arg)) continue; // keyword arguments arrive as [name, value]
    const [name, value] = arg;
    const given = value !== null && value !== undefined && String(value).trim() !== "";
    values[name] = value === null || value === undefined ? "" : value;
    values[name + "_given"] = given ? "yes" : "no";
  }
  return String(message.format(values));
});

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
  textLocale = job.textLocale || "en";
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
