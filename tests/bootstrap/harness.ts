import * as fs from "fs";
import * as path from "path";
import { ROOT, StackRun } from "../../plan/engine";
import { forkForMessage } from "../../plan/parallel";

/**
 * The bootstrap project (bootstrap/) through the plan's engine: its own stack files and config
 * namespace (`runStack`'s `project` option), one child process per run. `npm run plan` plans only
 * the main program's stacks; these tests plan the bootstrap's.
 */
export const BOOTSTRAP_DIR = path.join(ROOT, "bootstrap");

/** The bootstrap stacks: every bootstrap/Pulumi.<stack>.yaml. */
export function bootstrapStacks(): string[] {
    return fs
        .readdirSync(BOOTSTRAP_DIR)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

const cache = new Map<string, Promise<StackRun>>();

/** Runs one bootstrap stack (its stack file's config, or `config`) and returns everything it registered. */
export function runBootstrap(stack: string, config?: Record<string, unknown>): Promise<StackRun> {
    const key = config ? `${stack}:${JSON.stringify(config)}` : stack;
    let p = cache.get(key);
    if (!p) {
        p = forkForMessage<StackRun>(path.join(__dirname, "fixtures", "run-bootstrap.ts"), { send: { stack, config }, stdout: "ignore" }).then(({ message, code }) => {
            if (!message) {
                throw new Error(`bootstrap run of ${stack} exited with ${code}`);
            }
            return message;
        });
        cache.set(key, p);
    }
    return p;
}
