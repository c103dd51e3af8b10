// History import throughput: the emulated demo shop with BENCH_IMPORT_ORDERS more past orders,
// installed on a real stack (web server + one worker over PostgreSQL); the worker's import exports
// them with one bulk operation, streams the JSONL file and mirrors every order. Measured from the
// install to the import's "done", with the export's own share (until the file is ready) apart.
//
//   node --import tsx bench/import.ts      (npm run bench:import)
//   BENCH_IMPORT_ORDERS=100000
import { performance } from "node:perf_hooks";
import { seedDemoShop } from "../sandbox/emulator/seed";
import { EmulatorState } from "../sandbox/emulator/state";
import { startStack } from "../tests/support/stack";
import { fixed, migratedDatabase, onCleanup, printMachine, run } from "./support";

const ORDERS = Number(process.env.BENCH_IMPORT_ORDERS ?? 100_000);
const TIMEOUT_MS = Number(process.env.BENCH_IMPORT_TIMEOUT_MS ?? 60 * 60_000);

async function main() {
  printMachine("history import benchmark");
  // The demo shop's own year of orders, which every stack and emulator test seeds first.
  const d0 = performance.now();
  seedDemoShop(new EmulatorState());
  console.log(`demo shop seed: ${fixed(performance.now() - d0)} ms`);
  const database = await migratedDatabase("import");
  console.log(`database: ${database.server}`);
  const stack = await startStack({ database });
  onCleanup(() => stack.stop());
  const shop = stack.services.demoShop;
  const t0 = performance.now();
  const seeded = stack.services.emulator.seedHistory(shop, ORDERS);
  console.log(
    `load: ${ORDERS} generated past orders + the demo history = ${seeded.orders} orders, ${seeded.customers} customers (seeded in ${fixed((performance.now() - t0) / 1000)} s)`,
  );

  const installed = await stack.install();
  if (installed.status !== 200) throw new Error(`install answered ${installed.status}`);
  const { id: shopId } = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  const start = performance.now();
  await stack.startWorker();
  let exportedAt: number | null = null;
  let last = "";
  for (;;) {
    const row = await stack.db.historyImport.findUniqueOrThrow({ where: { shopId } });
    if (exportedAt === null && row.bulkStatus === "COMPLETED") exportedAt = performance.now();
    if (row.status === "failed") throw new Error(`the import failed: ${row.error}`);
    if (row.status === "done") {
      const wall = (performance.now() - start) / 1000;
      const exportS = ((exportedAt ?? performance.now()) - start) / 1000;
      if (row.orders !== seeded.orders) throw new Error(`imported ${row.orders} of ${seeded.orders} orders`);
      const mirrored = await stack.db.order.count({ where: { shopId, imported: true } });
      console.log(`mirrored: ${mirrored} imported orders, ${row.pages} chunks, ${row.lines} JSONL lines`);
      // What bounds applying: the worker's runs log the time they spent reading the file (download,
      // JSON, validation) and in the chunks' transactions.
      const runs = stack
        .output()
        .split("\n")
        .filter((l) => l.includes('"msg":"history import run"') && l.includes('"readMs"'))
        .map((l) => JSON.parse(l.slice(l.indexOf("{"))) as { readMs: number; applyMs: number });
      const readS = runs.reduce((n, r) => n + r.readMs, 0) / 1000;
      const applyS = runs.reduce((n, r) => n + r.applyMs, 0) / 1000;
      console.log(
        `worker: ${runs.length} runs applying the file; reading it ${fixed(readS)} s (download, JSON, validation), chunks' transactions ${fixed(applyS)} s (${fixed(row.orders / applyS)} orders/s inside them)`,
      );
      console.log(
        `import: ${row.orders} orders in ${fixed(wall)} s wall = ${fixed(row.orders / wall)} orders/s end to end (export until the file was ready ${fixed(exportS)} s; applying ${fixed(row.orders / (wall - exportS))} orders/s)`,
      );
      return;
    }
    const line = `${row.bulkStatus ?? "starting"} exported ${row.exported} applied ${row.orders}/${row.total ?? "?"}`;
    if (line !== last && Math.round(performance.now() / 1000) % 10 === 0) console.log(`  ${fixed((performance.now() - start) / 1000)} s: ${(last = line)}`);
    if (performance.now() - start > TIMEOUT_MS) throw new Error(`not done after ${TIMEOUT_MS / 1000} s: ${line}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

await run(main);
