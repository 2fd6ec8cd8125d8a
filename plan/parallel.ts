import { fork } from "child_process";
import * as os from "os";
import * as path from "path";

/** Node options of every plan child, and of the benchmark's floor so the two compare alike. */
export const childExecArgv = ["-r", path.join(__dirname, "register.js")];

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

function runChild(stack: string, options: ParallelOptions): Promise<ChildResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const child = fork(path.join(__dirname, "child.ts"), [stack, options.outDir, options.tree ? "tree" : "no-tree"], {
            execArgv: childExecArgv,
            env: { ...process.env, ...options.env },
            // The report travels over IPC; stdout would only repeat the program's diagnostics (the findings).
            stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        let result: Omit<ChildResult, "millis"> | undefined;
        child.on("message", (m) => {
            result = m as Omit<ChildResult, "millis">;
        });
        child.on("error", reject);
        child.on("exit", (code) => {
            if (result) {
                resolve({ ...result, millis: Date.now() - started });
            } else {
                reject(new Error(`planning ${stack} exited with code ${code} before reporting`));
            }
        });
    });
}
