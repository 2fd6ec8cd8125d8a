import * as fs from "fs";
import * as path from "path";
import { planStack, redacted, writePlan } from "./plan";
import { renderPlan } from "./report";

/**
 * A plan worker: `node -r plan/register.js plan/child.ts <outDir> [tree|no-tree]`, then one IPC
 * message `{ stack }` per stack to plan and `{ done: true }` to exit. The SDKs and the program load
 * once per worker; `runStack` resets the SDK's runtime state and config for every stack.
 */
async function planOne(stack: string, outDir: string, tree: string | undefined): Promise<void> {
    // The benchmark plans variants of a stack (more regions) from a config file instead of the stack file.
    const configFile = process.env.PLAN_CONFIG_FILE;
    const config = configFile ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>) : undefined;
    const planned = await planStack(stack, { config });
    const dir = writePlan(planned, outDir);
    // The full run (secrets redacted) for the test harness, which reads it instead of re-planning.
    if (process.env.PLAN_FULL_RUN === "1") {
        fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(redacted(planned)));
    }
    const message = {
        stack,
        report: renderPlan(planned, { tree: tree === "tree" }),
        mandatory: planned.findings.filter((f) => f.severity === "mandatory").length,
        error: planned.run.error,
        errorKind: planned.run.errorKind,
        resources: planned.run.resources.length,
        // Peak of the worker so far: with several stacks per worker, the largest of them.
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.send?.(message);
}

const [outDir, tree] = process.argv.slice(2);
process.on("message", (m) => {
    const { stack, done } = m as { stack?: string; done?: boolean };
    if (done || stack === undefined) {
        process.disconnect?.();
        return;
    }
    planOne(stack, outDir, tree).catch((e: unknown) => {
        process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
        process.exit(2);
    });
});
