import * as path from "path";
import { StackRun } from "../../plan/engine";
import { forkForMessage } from "../../plan/parallel";

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
        p = forkForMessage<StackRun>(path.join(__dirname, "fixtures", "run-standalone.ts"), { send: { stack, config } }).then(({ message, code }) => {
            if (!message) {
                throw new Error(`standalone run of ${stack} exited with ${code}`);
            }
            return message;
        });
        cache.set(key, p);
    }
    return p;
}
