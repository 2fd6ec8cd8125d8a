import { runStack } from "./engine";

// Runs one stack with a given config in its own process and sends back the run (plaintext props
// dropped): used by the tests for inputs no stack file has, so that Pulumi's per-process runtime
// state never carries from one run to the next.
process.once("message", (m) => {
    const { stack, config, env } = m as { stack: string; config?: Record<string, unknown>; env?: Record<string, string> };
    runStack(stack, { config, env })
        .then((run) => {
            const resources = run.resources.map((r) => ({ ...r, props: r.inputs }));
            process.send?.({ ...run, resources }, undefined, {}, () => process.exit(0));
        })
        .catch((e: unknown) => {
            process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
            process.exit(2);
        });
});
