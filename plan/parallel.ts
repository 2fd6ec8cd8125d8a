import { fork } from "child_process";
import * as os from "os";
import * as path from "path";

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

/** What a child reports back after planning one stack. */
export interface ChildResult {
    readonly stack: string;
    readonly report: string;
    readonly mandatory: number;
    readonly error: string | null;
    readonly errorKind: "config" | "program" | null;
    readonly resources: number;
    /** Wall time of the child from spawn to its report, ms. */
    readonly millis: number;
    /** Peak resident memory of the child, MiB. */
    readonly maxRssMiB: number;
}

export interface ParallelOptions {
    readonly outDir: string;
    readonly tree: boolean;
    readonly concurrency?: number;
    readonly env?: Record<string, string>;
    readonly onDone?: (r: ChildResult) => void;
}

/**
 * Plans stacks in child processes (Pulumi's runtime is per process), as many at once as there are
 * cores. Each child writes DIR/<stack>/ and reports its text.
 */
export async function planInChildren(stacks: readonly string[], options: ParallelOptions): Promise<ChildResult[]> {
    const concurrency = Math.max(1, Math.min(options.concurrency ?? os.cpus().length, stacks.length));
    const queue = [...stacks];
    const results = new Map<string, ChildResult>();
    const worker = async () => {
        for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
            const r = await runChild(stack, options);
            results.set(stack, r);
            options.onDone?.(r);
        }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return stacks.map((s) => results.get(s) as ChildResult);
}

async function runChild(stack: string, options: ParallelOptions): Promise<ChildResult> {
    const started = Date.now();
    const { message, code } = await forkForMessage<Omit<ChildResult, "millis">>(path.join(__dirname, "child.ts"), {
        args: [stack, options.outDir, options.tree ? "tree" : "no-tree"],
        env: options.env,
        // The report travels over IPC; stdout would only repeat the program's diagnostics (the findings).
        stdout: "ignore",
    });
    if (!message) {
        throw new Error(`planning ${stack} exited with code ${code} before reporting`);
    }
    return { ...message, millis: Date.now() - started };
}
