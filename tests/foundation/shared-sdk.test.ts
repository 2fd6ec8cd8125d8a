import { fork } from "child_process";
import * as path from "path";
import { StackRun } from "../../plan/engine";
import { childExecArgv, largestFirst } from "../../plan/parallel";

/**
 * Workers share the loaded SDK: one worker plans or runs several stacks in turn. A stack run after
 * others must register exactly what it registers first in a fresh worker (same types, names,
 * parents, providers, inputs), or state would be leaking from one stack into the next.
 */
function runInOneWorker(stacks: readonly string[]): Promise<StackRun[]> {
    return new Promise((resolve, reject) => {
        const child = fork(path.join(__dirname, "..", "..", "plan", "run-child.ts"), [], { execArgv: childExecArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
        const runs: StackRun[] = [];
        child.on("message", (m) => {
            runs.push((m as { run: StackRun }).run);
            child.send(runs.length < stacks.length ? { id: runs.length, stack: stacks[runs.length] } : { done: true });
        });
        child.on("error", reject);
        child.on("exit", (code) => (runs.length === stacks.length ? resolve(runs) : reject(new Error(`run worker exited with ${code} after ${runs.length} run(s)`))));
        child.send({ id: 0, stack: stacks[0] });
    });
}

describe("workers sharing the loaded SDK", () => {
    it("staging run after staging and dev in one worker registers exactly what it registered first", async () => {
        const [first, dev, again] = await runInOneWorker(["staging", "dev", "staging"]);
        expect([first.error, dev.error, again.error]).toEqual([null, null, null]);
        // staging (3 zones, HA data stores) is larger than dev; neither is empty.
        expect(first.resources.length).toBeGreaterThan(dev.resources.length);
        expect(dev.resources.length).toBeGreaterThan(0);
        expect(JSON.stringify(again.resources)).toBe(JSON.stringify(first.resources));
        expect(again.outputs).toEqual(first.outputs);
    });

    it("hands the production stacks out first, so the last worker does not finish alone on a large stack", () => {
        expect(largestFirst(["dev", "staging", "prod-eu", "prod-me", "prod-us"])).toEqual(["prod-eu", "prod-me", "prod-us", "staging", "dev"]);
    });
});
