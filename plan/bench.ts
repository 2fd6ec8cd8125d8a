import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, readStackFile } from "./engine";
import { ChildResult, forkForMessage, planInChildren } from "./parallel";

/**
 * `npm run bench [-- --reps N]`: the plan's cost, measured in one run, medians of N repetitions.
 * - floor: a child that loads the three provider SDKs under mocks and registers nothing;
 * - each stack alone (one child), and all stacks at once (one child per core);
 * - the largest stack's plan over the floor (must stay under 2);
 * - growth: the largest stack with a catalog ten times larger, and with twice the AWS regions
 *   (time per resource must not grow: linear or better).
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function floorOnce(): Promise<{ millis: number; maxRssMiB: number }> {
    const started = Date.now();
    const { message, code } = await forkForMessage<{ maxRssMiB: number }>(path.join(__dirname, "floor.ts"));
    if (code !== 0 || !message) {
        throw new Error(`floor exited ${code}`);
    }
    return { millis: Date.now() - started, maxRssMiB: message.maxRssMiB };
}

/** Registers a planned stack's resources again through their SDK classes, nothing else (plan/replay.ts). */
async function replayOnce(resourcesJson: string): Promise<{ millis: number; registered: number }> {
    const started = Date.now();
    const { message, code } = await forkForMessage<{ registered: number }>(path.join(__dirname, "replay.ts"), { args: [resourcesJson] });
    if (code !== 0 || !message) {
        throw new Error(`replay exited ${code}`);
    }
    return { millis: Date.now() - started, registered: message.registered };
}

async function repeat<T>(reps: number, f: () => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < reps; i++) {
        out.push(await f());
    }
    return out;
}

async function planAlone(stack: string, outDir: string, env: Record<string, string> = {}): Promise<ChildResult> {
    const [r] = await planInChildren([stack], { outDir, tree: false, concurrency: 1, env });
    if (r.error) {
        throw new Error(`${stack}: ${r.error}`);
    }
    return r;
}

async function bench(argv: readonly string[]): Promise<void> {
    const repsArg = argv.indexOf("--reps");
    const reps = repsArg >= 0 ? Number(argv[repsArg + 1]) : 5;
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-bench-"));
    const stacks = listStacks();
    const rows: string[] = [];
    const log = (s: string) => process.stderr.write(`${s}\n`);

    log(`bench: ${reps} repetitions, ${os.cpus().length} cores`);
    await floorOnce(); // warm the file cache once, for every measurement alike
    const floors = await repeat(reps, floorOnce);
    const floorMs = median(floors.map((f) => f.millis));
    rows.push(`floor (SDKs loaded under mocks, nothing registered): ${floorMs} ms, ${median(floors.map((f) => f.maxRssMiB))} MiB peak`);

    const perStack = new Map<string, { ms: number; rss: number; resources: number }>();
    for (const stack of stacks) {
        const runs = await repeat(reps, () => planAlone(stack, outDir));
        perStack.set(stack, { ms: median(runs.map((r) => r.millis)), rss: median(runs.map((r) => r.maxRssMiB)), resources: runs[0].resources });
        log(`  ${stack}: ${perStack.get(stack)?.ms} ms`);
    }
    rows.push("stack            resources   plan ms   peak MiB   ratio to floor");
    for (const [stack, s] of perStack) {
        rows.push(`${stack.padEnd(16)} ${String(s.resources).padStart(9)} ${String(s.ms).padStart(9)} ${String(s.rss).padStart(10)}   ${(s.ms / floorMs).toFixed(2)}`);
    }
    const largest = [...perStack].sort((a, b) => b[1].resources - a[1].resources)[0];
    const ratio = largest[1].ms / floorMs;
    rows.push(`largest stack ${largest[0]}: ${ratio.toFixed(2)} × floor (limit 2.00) ${ratio < 2 ? "OK" : "OVER"}`);
    // The SDK's own share: the same resources registered with no program around them.
    const replays = await repeat(reps, () => replayOnce(path.join(outDir, largest[0], "resources.json")));
    const replayMs = median(replays.map((r) => r.millis));
    rows.push(
        `SDK lower bound: ${largest[0]}'s ${replays[0].registered} resources replayed through their SDK classes, no program: ${replayMs} ms = ` +
            `${(replayMs / floorMs).toFixed(2)} × floor; the program, policies, capacity model and files add ${largest[1].ms - replayMs} ms`,
    );

    const all = await repeat(Math.max(3, Math.ceil(reps / 2)), async () => {
        const started = Date.now();
        const results = await planInChildren(stacks, { outDir, tree: false });
        return { ms: Date.now() - started, rss: Math.max(...results.map((r) => r.maxRssMiB)) };
    });
    const serial = [...perStack.values()].reduce((s, x) => s + x.ms, 0);
    rows.push(`all ${stacks.length} stacks in parallel (${os.cpus().length} cores): ${median(all.map((a) => a.ms))} ms (sum of single-stack plans: ${serial} ms), peak ${median(all.map((a) => a.rss))} MiB per child`);

    // Growth: the largest stack with 10× the services, and with twice the AWS regions.
    const base = largest[1];
    const tenfold = await repeat(Math.max(3, Math.ceil(reps / 2)), () => planAlone(largest[0], outDir, { PLAN_CATALOG_FACTOR: "10" }));
    const tenMs = median(tenfold.map((r) => r.millis));
    const raw = readStackFile(largest[0]);
    const aws = raw.aws as { regions: { region: string; role: string }[] };
    const extra = ["us-east-2", "us-west-1", "eu-west-2", "eu-west-3", "me-south-1", "il-central-1"].filter((r) => !aws.regions.some((x) => x.region === r));
    const sameZone = extra.filter((r) => r.slice(0, 2) === aws.regions[0].region.slice(0, 2)).slice(0, aws.regions.length);
    aws.regions = [...aws.regions, ...sameZone.map((region) => ({ region, role: "active" }))];
    const cfgFile = path.join(outDir, "regions.json");
    fs.writeFileSync(cfgFile, JSON.stringify(raw));
    const doubled = await repeat(Math.max(3, Math.ceil(reps / 2)), () => planAlone(largest[0], outDir, { PLAN_CONFIG_FILE: cfgFile }));
    const dMs = median(doubled.map((r) => r.millis));
    const perRes = (ms: number, n: number) => ((ms - floorMs) / n).toFixed(2);
    rows.push("growth (program time above the floor, per resource):");
    rows.push(`  ${largest[0]} as is:            ${base.resources} resources, ${base.ms} ms, ${perRes(base.ms, base.resources)} ms/resource`);
    rows.push(`  10× services (synthetic):  ${tenfold[0].resources} resources, ${tenMs} ms, ${perRes(tenMs, tenfold[0].resources)} ms/resource`);
    rows.push(`  ${aws.regions.length} AWS regions:            ${doubled[0].resources} resources, ${dMs} ms, ${perRes(dMs, doubled[0].resources)} ms/resource`);

    fs.rmSync(outDir, { recursive: true, force: true });
    process.stdout.write(rows.join("\n") + "\n");
}

bench(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
});
