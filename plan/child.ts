import * as fs from "fs";
import * as path from "path";
import { planStack, redacted, writePlan } from "./plan";
import { renderPlan } from "./report";

// One stack per process: `node -r plan/register.js plan/child.ts <stack> <outDir> [tree|no-tree]`.
async function child(): Promise<void> {
    const [stack, outDir, tree] = process.argv.slice(2);
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
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.send?.(message, undefined, {}, () => process.exit(0));
}

child().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
});
