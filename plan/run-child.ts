import { RunOptions, StackRun, runStack } from "./engine";
import { planToDir } from "./report";

/** One run a test asks for: a stack with its own config, environment or entry point. */
export interface RunRequest {
    readonly id: number;
    readonly stack: string;
    readonly config?: Record<string, unknown>;
    readonly env?: Record<string, string>;
    /** Another program than index.ts (the k8s tests' standalone workload program). */
    readonly entry?: string;
    /** Keep plaintext `props` (a fixture program's tests read them); by default they are dropped. */
    readonly keepProps?: boolean;
}

/** A stack to plan into a directory, as a plan worker does (the tests' global setup). */
export interface PlanRequest {
    readonly id: number;
    /** `tree`: the report includes the preview-like resource tree (the plan CLI's default). */
    readonly plan: { readonly stack: string; readonly outDir: string; readonly tree?: boolean };
}

/**
 * A run worker: loads the SDKs and the program once, then answers one request at a time (the
 * engine resets the SDK's per-stack state): a `RunRequest` with `{ id, run }`, a `PlanRequest` with
 * `{ id, report }`. `{ done: true }` ends it. The plan CLI's workers (plan/parallel.ts) send plan
 * requests only; the tests' run server (tests/run-server.ts) keeps a few for the whole suite: they
 * plan every stack first, then answer the tests' runs.
 */
process.on("message", (m) => {
    const req = m as RunRequest | PlanRequest | { done: true };
    if ("done" in req) {
        process.disconnect?.();
        return;
    }
    if ("plan" in req) {
        planToDir(req.plan.stack, req.plan.outDir, req.plan.tree ?? false)
            .then((report) => process.send?.({ id: req.id, report }))
            .catch((e: unknown) => {
                process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
                process.exit(2);
            });
        return;
    }
    const options: RunOptions = { config: req.config, env: req.env, entry: req.entry };
    runStack(req.stack, options)
        .then((run): StackRun => (req.keepProps ? run : { ...run, resources: run.resources.map((r) => ({ ...r, props: r.inputs as Record<string, unknown> })) }))
        .then((run) => process.send?.({ id: req.id, run }))
        .catch((e: unknown) => {
            process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
            process.exit(2);
        });
});
