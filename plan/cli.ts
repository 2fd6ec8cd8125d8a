import * as fs from "fs";
import * as path from "path";
import { activeCatalog } from "../data/catalog/synthetic";
import { StackConfigError, catalogRequirements, parseStackConfig } from "../data/config";
import { ROOT, readStackFile, selectStacks } from "./engine";
import { ChildResult, largestFirst, planInChildren, previewHead } from "./parallel";
import { writeStacksOverview } from "./review/pack";

/**
 * `npm run plan -- [stack ...] [--out DIR] [--no-tree]`: the offline plan of the named stacks (all
 * when none), in worker processes (one per core, each planning several stacks in turn). The report
 * goes to stdout, progress to stderr. Exits 1 when a stack has a config error, a program error or a
 * mandatory finding.
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
    const { stacks: selected, refusal } = selectStacks(stacks);
    if (refusal) {
        process.stderr.write(`${refusal}\n`);
        return 2;
    }
    const started = Date.now();
    // Config errors first, in this process: a stack that cannot load is reported without starting a
    // worker (the program reports the same errors when it runs, under pulumi preview/up).
    const configFile = process.env.PLAN_CONFIG_FILE;
    const requires = catalogRequirements(activeCatalog());
    const refused = new Map<string, string>();
    for (const stack of selected) {
        const raw = configFile ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>) : readStackFile(stack);
        try {
            parseStackConfig(stack, raw, requires);
        } catch (e) {
            if (!(e instanceof StackConfigError)) {
                throw e;
            }
            refused.set(stack, e.message);
        }
    }
    const planned = selected.filter((s) => !refused.has(s));
    process.stderr.write(`planning ${planned.join(", ") || "nothing"} → ${path.relative(process.cwd(), outDir) || "."}/\n`);
    const ran = planned.length === 0 ? [] : await planInChildren(largestFirst(planned), {
        outDir,
        tree,
        onDone: (r) => process.stderr.write(`  ${r.stack}: ${r.error ? `error (${r.errorKind})` : `${r.resources} resources, ${r.mandatory} mandatory finding(s)`} in ${r.millis} ms\n`),
    });
    const results: ChildResult[] = selected.map(
        (stack) =>
            ran.find((r) => r.stack === stack) ?? {
                stack,
                report: [previewHead(stack), `error (config): ${refused.get(stack)}`, ""].join("\n"),
                mandatory: 0,
                error: refused.get(stack) ?? null,
                errorKind: "config",
                resources: 0,
                maxRssMiB: 0,
                millis: 0,
            },
    );
    // The report lists stacks in the order asked (or dev, staging, prod), whatever order they ran in.
    for (const r of results) {
        process.stdout.write(r.report + "\n");
    }
    // The side-by-side of every stack planned into this directory (each worker wrote its stack's column).
    const overview = writeStacksOverview(outDir, selectStacks([]).stacks);
    process.stderr.write(`review pack: ${path.relative(process.cwd(), path.join(overview, "index.html"))} (diagram SVGs: npm run review)\n`);
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
