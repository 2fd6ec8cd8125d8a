// Plans every stack once, in parallel child processes (the plan's own engine and code path), into a
// temporary directory that the tests read through tests/harness.ts.
require("../plan/register.js");
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function globalSetup() {
    const { listStacks } = require("../plan/engine.ts");
    const { planInChildren } = require("../plan/parallel.ts");
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cache-"));
    // PLAN_FULL_RUN: each child also writes plan.json, the whole run the harness reads.
    const results = await planInChildren(listStacks(), { outDir, tree: false, env: { PLAN_FULL_RUN: "1" } });
    // A stack whose program or config fails has no resources and no findings: every "no finding"
    // test on it would pass. Fail the suite here, with every failing stack's error.
    const failed = results.filter((r) => r.errorKind !== null || r.error);
    if (failed.length > 0) {
        fs.rmSync(outDir, { recursive: true, force: true });
        throw new Error(`the global setup could not plan ${failed.map((r) => r.stack).join(", ")}:\n${failed.map((r) => `${r.stack} (${r.errorKind ?? "error"}): ${r.error}`).join("\n")}`);
    }
    process.env.PLAN_CACHE_DIR = outDir;
};
