import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { childExecArgv } from "../plan/parallel";
import type { RunRequest } from "../plan/run-child";

/**
 * The tests' run server, started by the global setup: a few run workers (plan/run-child.ts) that
 * keep the SDKs and the program loaded for the whole suite, behind a Unix socket that every jest
 * worker can reach (tests/harness.ts `runProgram`, tests/k8s/standalone.ts). A request is one JSON
 * line; the answer is the run as one JSON line. The same request is run once per suite.
 */

interface Worker {
    readonly child: ChildProcess;
    busy: number;
    readonly waiting: Map<number, (line: string) => void>;
}

export interface RunServer {
    readonly socket: string;
    close(): Promise<void>;
}

export async function startRunServer(dir: string, size = os.cpus().length): Promise<RunServer> {
    const socket = path.join(dir, "run.sock");
    const workers: Worker[] = Array.from({ length: Math.max(1, size) }, () => {
        const child = fork(path.join(__dirname, "..", "plan", "run-child.ts"), [], {
            execArgv: childExecArgv,
            stdio: ["ignore", "ignore", "inherit", "ipc"],
        });
        const w: Worker = { child, busy: 0, waiting: new Map() };
        child.on("message", (m) => {
            const { id, run } = m as { id: number; run: unknown };
            w.busy--;
            w.waiting.get(id)?.(JSON.stringify(run));
            w.waiting.delete(id);
        });
        child.on("exit", (code) => {
            for (const done of w.waiting.values()) {
                done(JSON.stringify({ workerExit: code }));
            }
            w.waiting.clear();
        });
        return w;
    });
    let nextId = 0;
    const answers = new Map<string, Promise<string>>();
    const run = (req: Omit<RunRequest, "id">): Promise<string> => {
        const key = JSON.stringify(req);
        let p = answers.get(key);
        if (!p) {
            const w = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
            const id = nextId++;
            w.busy++;
            p = new Promise<string>((resolve) => w.waiting.set(id, resolve));
            w.child.send({ ...req, id });
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
