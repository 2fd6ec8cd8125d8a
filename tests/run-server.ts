import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { childExecArgv } from "../plan/parallel";
import type { PlanReport } from "../plan/report";
import type { RunRequest } from "../plan/run-child";

/**
 * The tests' run server, started by the global setup: a few run workers (plan/run-child.ts) that
 * keep the SDKs and the program loaded for the whole suite. They first plan every stack (the plans
 * the tests read), then answer the tests' own runs behind a Unix socket every jest worker can reach
 * (tests/harness.ts `runProgram`, tests/k8s/standalone.ts). A request is one JSON line; the answer
 * is the run as one JSON line. The same request is run once per suite; an idle worker takes the
 * next request from one queue.
 */

type Job = { readonly message: Record<string, unknown>; readonly done: (answer: unknown) => void };

interface Worker {
    readonly child: ChildProcess;
    current?: Job;
}

export interface RunServer {
    readonly socket: string;
    /** Plans the stacks (in this order, from the queue) into DIR/<stack>/, with plan.json. */
    plan(stacks: readonly string[], outDir: string): Promise<PlanReport[]>;
    close(): Promise<void>;
}

export async function startRunServer(dir: string, size = os.cpus().length): Promise<RunServer> {
    const socket = path.join(dir, "run.sock");
    const queue: Job[] = [];
    let nextId = 0;
    const workers: Worker[] = [];
    const dispatch = () => {
        for (const w of workers) {
            if (!w.current && queue.length > 0 && w.child.connected) {
                const job = queue.shift() as Job;
                w.current = job;
                w.child.send({ ...job.message, id: nextId++ });
            }
        }
    };
    for (let i = 0; i < Math.max(1, size); i++) {
        const child = fork(path.join(__dirname, "..", "plan", "run-child.ts"), [], {
            execArgv: childExecArgv,
            env: { ...process.env, PLAN_FULL_RUN: "1" },
            stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        const w: Worker = { child };
        child.on("message", (m) => {
            const { run, report } = m as { run?: unknown; report?: unknown };
            const job = w.current;
            w.current = undefined;
            job?.done(run ?? report);
            dispatch();
        });
        child.on("exit", (code) => {
            w.current?.done({ workerExit: code });
            w.current = undefined;
        });
        workers.push(w);
    }
    const submit = (message: Record<string, unknown>): Promise<unknown> =>
        new Promise((done) => {
            queue.push({ message, done });
            dispatch();
        });

    const answers = new Map<string, Promise<string>>();
    const run = (req: Omit<RunRequest, "id">): Promise<string> => {
        const key = JSON.stringify(req);
        let p = answers.get(key);
        if (!p) {
            p = submit({ ...req }).then((answer) => JSON.stringify(answer));
            answers.set(key, p);
        }
        return p;
    };
    const server = net.createServer((conn) => {
        let buffered = "";
        conn.on("data", (chunk) => {
            buffered += chunk.toString("utf8");
            const end = buffered.indexOf("\n");
            if (end >= 0) {
                const req = JSON.parse(buffered.slice(0, end)) as Omit<RunRequest, "id">;
                buffered = "";
                void run(req).then((line) => conn.end(line + "\n"));
            }
        });
    });
    fs.rmSync(socket, { force: true });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return {
        socket,
        plan: (stacks, outDir) =>
            Promise.all(
                stacks.map(async (stack) => {
                    const answer = (await submit({ plan: { stack, outDir } })) as PlanReport & { workerExit?: number | null };
                    if (answer.workerExit !== undefined) {
                        throw new Error(`the worker planning ${stack} exited with ${answer.workerExit}`);
                    }
                    return answer;
                }),
            ),
        close: async () => {
            for (const w of workers) {
                if (w.child.connected) {
                    w.child.send({ done: true });
                }
            }
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

/** Asks the suite's run server for a run (the global setup puts its socket in PLAN_RUN_SOCKET). */
export function requestRun<T>(req: Omit<RunRequest, "id">): Promise<T> {
    const socket = process.env.PLAN_RUN_SOCKET;
    if (!socket) {
        throw new Error("no run server: PLAN_RUN_SOCKET is unset (tests/global-setup.js starts it; run the tests with `npm test`)");
    }
    return new Promise((resolve, reject) => {
        const conn = net.createConnection(socket);
        let data = "";
        conn.on("connect", () => conn.write(JSON.stringify(req) + "\n"));
        conn.on("data", (chunk) => (data += chunk.toString("utf8")));
        conn.on("error", reject);
        conn.on("end", () => {
            const answer = JSON.parse(data) as T & { workerExit?: number | null };
            if (answer.workerExit !== undefined) {
                reject(new Error(`the run worker for ${req.stack} exited with ${answer.workerExit}`));
            } else {
                resolve(answer);
            }
        });
    });
}
