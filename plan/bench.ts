import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listStacks, readStackFile } from "./engine";
import { ChildResult, forkForMessage, largestFirst, planInChildren } from "./parallel";

/**
 * `npm run bench [-- --reps N] [--no-tests]`: the plan's and the tests' cost, medians of N repetitions.
 * - floor: a child that loads the three provider SDKs under mocks and registers nothing;
 * - each stack alone (one worker), and all stacks at once (one worker per core, stacks in turn);
 * - the SDK lower bound: the largest stack's resources replayed through their SDK classes;
 * - growth: the largest stack with a catalog ten times larger, and with twice the AWS regions
 *   (time per resource must not grow: linear or better);
 * - `npm test`'s wall time.
 * Each target of issue 10 is printed with its measured value and PASS or OVER.
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One target line: what is measured, its value, the limit, PASS or OVER. */
function target(what: string, value: number, limit: number, unit: string): string {
    const fmt = (x: number) => (unit === "×" ? x.toFixed(3) : String(Math.round(x)));
    return `target  ${what}: ${fmt(value)}${unit === "×" ? "×" : " " + unit} (≤ ${fmt(limit)}${unit === "×" ? "×" : " " + unit}) ${value <= limit ? "PASS" : "OVER"}`;
}

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
    rows.push(`largest stack ${largest[0]}: ${ratio.toFixed(2)} × floor`);
    // The SDK's own share: the same resources registered with no program around them.
    const replays = await repeat(reps, () => replayOnce(path.join(outDir, largest[0], "resources.json")));
    const replayMs = median(replays.map((r) => r.millis));
    rows.push(
        `SDK lower bound: ${largest[0]}'s ${replays[0].registered} resources replayed through their SDK classes, no program: ${replayMs} ms = ` +
            `${(replayMs / floorMs).toFixed(2)} × floor; the program, policies, capacity model and files add ${largest[1].ms - replayMs} ms`,
    );
    const targets: string[] = [target(`largest stack's plan over the SDK lower bound (${largest[0]})`, largest[1].ms / replayMs, 1.1, "×")];

    const all = await repeat(Math.max(3, Math.ceil(reps / 2)), async () => {
        const started = Date.now();
        const results = await planInChildren(largestFirst(stacks), { outDir, tree: false });
        return { ms: Date.now() - started, rss: Math.max(...results.map((r) => r.maxRssMiB)) };
    });
    const serial = [...perStack.values()].reduce((s, x) => s + x.ms, 0);
    const allMs = median(all.map((a) => a.ms));
    rows.push(`all ${stacks.length} stacks, one worker per core (${os.cpus().length}): ${allMs} ms (sum of single-stack plans: ${serial} ms), peak ${median(all.map((a) => a.rss))} MiB per worker`);
    targets.push(target("all stacks over the largest single stack's plan", allMs / largest[1].ms, 2, "×"));

    // Growth: the largest stack with 10× the services, and with twice the AWS regions.
    const base = largest[1];
    const tenfold = await repeat(Math.max(3, Math.ceil(reps / 2)), () => planAlone(largest[0], outDir, { PLAN_CATALOG_FACTOR: "10" }));
    const tenMs = median(tenfold.map((r) => r.millis));
    const raw = readStackFile(largest[0]);
    const aws = raw.aws as { regions: { region: string; role: string }[] };
    const extra = ["us-east-2", "us-west-1", "eu-west-2", "eu-west-3", "me-south-1", "il-central-1", "ap-southeast-1", "ap-northeast-1"].filter((r) => !aws.regions.some((x) => x.region === r));
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

    const tenPer = (tenMs - floorMs) / tenfold[0].resources;
    const basePer = (base.ms - floorMs) / base.resources;
    targets.push(target("growth: time per resource at 10× services over as is", tenPer / basePer, 1.1, "×"));

    // `npm test` as a user runs it: the jest CLI with its global setup, wall time.
    if (!argv.includes("--no-tests")) {
        const testRuns = await repeat(Math.max(1, Math.ceil(reps / 3)), async () => {
            const started = Date.now();
            const r = spawnSync(process.execPath, [require.resolve("jest/bin/jest"), "--silent"], { cwd: path.join(__dirname, ".."), stdio: "ignore", env: { ...process.env, CI: "true" } });
            if (r.status !== 0) {
                throw new Error(`npm test failed (exit ${r.status}) while benchmarking it`);
            }
            return Date.now() - started;
        });
        const testMs = median(testRuns);
        rows.push(`npm test (jest, wall): ${testMs} ms`);
        targets.push(target("npm test wall time", testMs / 1000, 25, "s"));
    }

    fs.rmSync(outDir, { recursive: true, force: true });
    process.stdout.write([...rows, ...targets].join("\n") + "\n");
}

bench(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
});
