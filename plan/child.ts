import { planToDir } from "./report";

/**
 * A plan worker: `node -r plan/register.js plan/child.ts <outDir> [tree|no-tree]`, then one IPC
 * message `{ stack }` per stack to plan and `{ done: true }` to exit. The SDKs and the program load
 * once per worker; `runStack` resets the SDK's runtime state and config for every stack.
 */
async function planOne(stack: string, outDir: string, tree: string | undefined): Promise<void> {
    process.send?.(await planToDir(stack, outDir, tree === "tree"));
}

const [outDir, tree] = process.argv.slice(2);
process.on("message", (m) => {
    const { stack, done } = m as { stack?: string; done?: boolean };
    if (done || stack === undefined) {
        process.disconnect?.();
        return;
    }
    planOne(stack, outDir, tree).catch((e: unknown) => {
        process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
        process.exit(2);
    });
});
