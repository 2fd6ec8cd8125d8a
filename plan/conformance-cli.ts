import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate, loadChecks, renderConformance, summarize, Subject } from "./conformance";
import { selectStacks } from "./engine";
import { largestFirst, planInChildren } from "./parallel";
import type { PlannedStack } from "./plan";

/**
 * `npm run conformance -- <checks dir> [stack ...]`: plans the stacks (all when none) and applies the
 * Polaris checks in <checks dir> (default.yaml + one file per check) to every rendered manifest.
 * Prints how many checks were evaluated, passed, failed and could not be evaluated (with the reason
 * for each). Exits 1 on a failed check or a stack that does not plan, 2 on bad usage.
 */
async function cli(argv: readonly string[]): Promise<number> {
    const [dir, ...stacks] = argv;
    if (!dir || dir.startsWith("-")) {
        process.stderr.write("usage: npm run conformance -- <checks dir> [stack ...]\n");
        return 2;
    }
    if (!fs.existsSync(path.join(dir, "default.yaml"))) {
        process.stderr.write(`${dir} is not a Polaris checks folder: it has no default.yaml\n`);
        return 2;
    }
    const checks = loadChecks(path.resolve(dir));
    const { stacks: selected, refusal } = selectStacks(stacks);
    if (refusal) {
        process.stderr.write(`${refusal}\n`);
        return 2;
    }
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "conformance-"));
    try {
        const results = await planInChildren(largestFirst(selected), { outDir, tree: false, env: { PLAN_FULL_RUN: "1" } });
        const broken = results.filter((r) => r.error);
        if (broken.length > 0) {
            process.stderr.write(broken.map((r) => `${r.stack} did not plan (${r.errorKind}): ${r.error}\n`).join(""));
            return 1;
        }
        const subjects: Subject[] = selected.flatMap((stack) => {
            const planned = JSON.parse(fs.readFileSync(path.join(outDir, stack, "plan.json"), "utf8")) as PlannedStack;
            return planned.manifests.map((m) => ({ stack, manifest: m.manifest }));
        });
        const outcomes = evaluate(checks, subjects);
        process.stdout.write(renderConformance(outcomes, `${dir} on ${selected.join(", ")} (${subjects.length} manifests)`));
        return summarize(outcomes).failed > 0 ? 1 : 0;
    } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
    }
}

cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
        process.exit(1);
    },
);
