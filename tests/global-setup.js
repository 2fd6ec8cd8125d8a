// Plans every stack once, in plan workers (the plan's own engine and code path), into a temporary
// directory that the tests read through tests/harness.ts; and starts the run server that answers
// the tests' own runs (other config, other entry point) from workers that keep the SDK loaded.
require("../plan/register.js");
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function globalSetup() {
    const { listStacks } = require("../plan/engine.ts");
    const { largestFirst, planInChildren } = require("../plan/parallel.ts");
    const { startRunServer } = require("./run-server.ts");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
    const server = await startRunServer(outDir);
    // Read by tests/global-teardown.js, which jest runs in this same process.
    globalThis.__planRunServer = server;
    process.env.PLAN_RUN_SOCKET = server.socket;
    // PLAN_FULL_RUN: each worker also writes plan.json, the whole run the harness reads.
    const results = await planInChildren(largestFirst(listStacks()), { outDir, tree: false, env: { PLAN_FULL_RUN: "1" } });
    for (const r of results) {
        if (r.errorKind === "program") {
            process.stderr.write(`\nplanning ${r.stack} failed:\n${r.error}\n`);
        }
    }
    process.env.PLAN_CACHE_DIR = outDir;
};
