import { fork } from "child_process";
import * as path from "path";
import { StackRun } from "../../plan/engine";

/**
 * The ServiceWorkload component on its own: every EKS card deployed on a hand-made regional
 * platform handle (tests/k8s/fixtures/standalone-program.ts), through the real engine in a child
 * process. Independent of the AWS platform, so the component's tests hold whichever way it is wired.
 */
const cache = new Map<string, Promise<StackRun>>();

export function runStandalone(stack: string, config?: Record<string, unknown>): Promise<StackRun> {
    const key = config ? `${stack}:${JSON.stringify(config)}` : stack;
    let p = cache.get(key);
    if (!p) {
        p = new Promise((resolve, reject) => {
            const root = path.join(__dirname, "..", "..");
            const child = fork(path.join(__dirname, "fixtures", "run-standalone.ts"), [], {
                execArgv: ["-r", path.join(root, "plan", "register.js")],
                stdio: ["ignore", "inherit", "inherit", "ipc"],
            });
            let run: StackRun | undefined;
            child.on("message", (m) => (run = m as StackRun));
            child.on("error", reject);
            child.on("exit", (code) => (run ? resolve(run) : reject(new Error(`standalone run of ${stack} exited with ${code}`))));
            child.send({ stack, config });
        });
        cache.set(key, p);
    }
    return p;
}
