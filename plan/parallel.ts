import { fork } from "child_process";
import * as os from "os";
import * as path from "path";
import type { PlanReport } from "./report";

/** Node options of every plan child, and of the benchmark's floor so the two compare alike. */
export const childExecArgv = ["-r", path.join(__dirname, "register.js")];

/**
 * Forks a TypeScript entry point under the same Node options as every plan child, optionally sends
 * it one message, and resolves on exit with the last message it sent (undefined if none). Every
 * child the plan, the benchmark and the tests start goes through here.
 */
export function forkForMessage<T>(
    script: string,
    options: { readonly args?: readonly string[]; readonly env?: Record<string, string>; readonly send?: unknown; readonly stdout?: "inherit" | "ignore" } = {},
): Promise<{ readonly message: T | undefined; readonly code: number | null }> {
    return new Promise((resolve, reject) => {
        const child = fork(script, [...(options.args ?? [])], {
            execArgv: childExecArgv,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", options.stdout ?? "inherit", "inherit", "ipc"],
        });
        let message: T | undefined;
        child.on("message", (m) => (message = m as T));
        child.on("error", reject);
        child.on("exit", (code) => resolve({ message, code }));
        if (options.send !== undefined) {
            child.send(options.send as object);
        }
    });
}

/** The first line of a stack's report. */
export function previewHead(stack: string): string {
    return `Previewing stack ${stack} (offline, mocked providers)`;
}

/** What a worker reports after planning one stack, with the stack's wall time in the worker. */
export interface ChildResult extends PlanReport {
    /** Wall time from handing the stack to the worker to its report (the first includes loading), ms. */
    readonly millis: number;
}

export interface ParallelOptions {
    readonly outDir: string;
    readonly tree: boolean;
    readonly concurrency?: number;
    readonly env?: Record<string, string>;
    readonly onDone?: (r: ChildResult) => void;
}

/**
 * The order that finishes soonest when workers take stacks from one queue: the largest first
 * (production stacks register about three times what dev does), so no core idles at the end.
 */
export function largestFirst(stacks: readonly string[]): string[] {
    const weight = (s: string) => (s.startsWith("prod") ? 3 : s === "staging" ? 2 : 1);
    return [...stacks].sort((a, b) => weight(b) - weight(a));
}

/**
 * Plans stacks in worker processes, one per core at most. Each worker loads the SDKs and the
 * program once and plans the stacks it is handed one after another (the engine resets the SDK's
 * runtime state and config per stack), writing DIR/<stack>/ and reporting each stack's text.
 * Stacks are taken from one queue in the order given; results come back in that order too.
 */
export async function planInChildren(stacks: readonly string[], options: ParallelOptions): Promise<ChildResult[]> {
    const concurrency = Math.max(1, Math.min(options.concurrency ?? os.cpus().length, stacks.length));
    const queue = [...stacks];
    const results = new Map<string, ChildResult>();
    const workers = Array.from({ length: concurrency }, () =>
        runWorker(queue, options, (r) => {
            results.set(r.stack, r);
            options.onDone?.(r);
        }),
    );
    await Promise.all(workers);
    return stacks.map((s) => results.get(s) as ChildResult);
}

/** One worker: hands it the next stack whenever it reports the last, then tells it to exit. */
function runWorker(queue: string[], options: ParallelOptions, onResult: (r: ChildResult) => void): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = fork(path.join(__dirname, "run-child.ts"), [], {
            execArgv: childExecArgv,
            env: { ...process.env, ...options.env },
            // Reports travel over IPC; stdout would only repeat the program's diagnostics (the findings).
            stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        let current: string | undefined;
        let started = Date.now();
        let id = 0;
        const next = () => {
            current = queue.shift();
            started = Date.now();
            child.send(current === undefined ? { done: true } : { id: id++, plan: { stack: current, outDir: options.outDir, tree: options.tree } });
        };
        child.on("message", (m) => {
            onResult({ ...(m as { report: PlanReport }).report, millis: Date.now() - started });
            next();
        });
        child.on("error", reject);
        child.on("exit", (code) =>
            current === undefined ? resolve() : reject(new Error(`planning ${current} exited with code ${code} before reporting`)),
        );
        next();
    });
}
