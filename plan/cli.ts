import * as path from "path";
import { ROOT, listStacks } from "./engine";
import { largestFirst, planInChildren } from "./parallel";

/**
 * `npm run plan -- [stack ...] [--out DIR] [--no-tree]`: the offline plan of the named stacks (all
 * when none), in worker processes (one per core, each planning several stacks in turn). The report goes to stdout, progress to stderr. Exits 1
 * when a stack has a config error, a program error or a mandatory finding.
 */
async function cli(argv: readonly string[]): Promise<number> {
    const stacks: string[] = [];
    let outDir = path.join(ROOT, "out");
    let tree = true;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--out") {
            outDir = path.resolve(argv[++i] ?? "out");
        } else if (a === "--no-tree") {
            tree = false;
        } else if (a.startsWith("-")) {
            process.stderr.write(`unknown option ${a}; usage: npm run plan -- [stack ...] [--out DIR] [--no-tree]\n`);
            return 2;
        } else {
            stacks.push(a);
        }
    }
    const known = listStacks();
    const unknown = stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        process.stderr.write(`unknown stack(s): ${unknown.join(", ")}; stacks: ${known.join(", ")}\n`);
        return 2;
    }
    const selected = stacks.length > 0 ? stacks : known;
    const started = Date.now();
    process.stderr.write(`planning ${selected.join(", ")} → ${path.relative(process.cwd(), outDir) || "."}/\n`);
    const results = await planInChildren(largestFirst(selected), {
        outDir,
        tree,
        onDone: (r) => process.stderr.write(`  ${r.stack}: ${r.error ? `error (${r.errorKind})` : `${r.resources} resources, ${r.mandatory} mandatory finding(s)`} in ${r.millis} ms\n`),
    });
    // The report lists stacks in the order asked (or dev, staging, prod), whatever order they ran in.
    for (const r of selected.map((s) => results.find((x) => x.stack === s))) {
        process.stdout.write((r?.report ?? "") + "\n");
    }
    const failed = results.filter((r) => r.error || r.mandatory > 0);
    process.stderr.write(`planned ${results.length} stack(s) in ${Date.now() - started} ms; ${failed.length === 0 ? "all clean" : `failing: ${failed.map((r) => r.stack).join(", ")}`}\n`);
    return failed.length === 0 ? 0 : 1;
}

cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
        process.exit(2);
    },
);
