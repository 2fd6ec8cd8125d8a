// Starts the run server (workers that keep the SDK and the program loaded for the whole suite),
// has its workers plan every stack once (the plan's own engine and code path) into a temporary
// directory the tests read through tests/harness.ts, then leaves them to answer the tests' own
// runs (other config, other entry point).
require("../plan/register.js");
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function globalSetup() {
    const { listStacks } = require("../plan/engine.ts");
    const { largestFirst } = require("../plan/parallel.ts");
    const { startRunServer } = require("./run-server.ts");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
    const server = await startRunServer(outDir);
    // Read by tests/global-teardown.js, which jest runs in this same process.
    globalThis.__planRunServer = server;
    process.env.PLAN_RUN_SOCKET = server.socket;
    // The workers also write plan.json, the whole run the harness reads (PLAN_FULL_RUN).
    const results = await server.plan(largestFirst(listStacks()), outDir);
    // A stack whose program or config fails has no resources and no findings: every "no finding"
    // test on it would pass. Fail the suite here, with every failing stack's error.
    const failed = results.filter((r) => r.errorKind !== null || r.error);
    if (failed.length > 0) {
        await server.close();
        fs.rmSync(outDir, { recursive: true, force: true });
        throw new Error(`the global setup could not plan ${failed.map((r) => r.stack).join(", ")}:\n${failed.map((r) => `${r.stack} (${r.errorKind ?? "error"}): ${r.error}`).join("\n")}`);
    }
    process.env.PLAN_CACHE_DIR = outDir;
};
