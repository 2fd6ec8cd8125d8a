import { RunOptions, StackRun, runStack } from "./engine";

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

/**
 * A run worker: loads the SDKs and the program once, then runs one stack per `RunRequest` message,
 * one after another (the engine resets the SDK's per-stack state), and answers `{ id, run }`.
 * `{ done: true }` ends it. The tests' run server (tests/run-server.ts) keeps a few of these.
 */
process.on("message", (m) => {
    const req = m as RunRequest | { done: true };
    if ("done" in req) {
        process.disconnect?.();
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
