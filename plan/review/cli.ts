import * as path from "path";
import { ROOT, selectStacks } from "../engine";
import { writeStacksOverview } from "./pack";
import { renderDiagrams } from "./render";

/**
 * `npm run review [-- --out DIR]`: renders the review pack's diagrams (DIR/<stack>/review/diagram.svg
 * from the diagram.mmd `npm run plan` wrote) with the system Chromium and rewrites DIR/review/.
 * Exits 1 when Chromium is missing or a diagram does not render.
 */
async function cli(argv: readonly string[]): Promise<number> {
    const i = argv.indexOf("--out");
    const outDir = i >= 0 ? path.resolve(argv[i + 1] ?? "out") : path.join(ROOT, "out");
    const written = await renderDiagrams(outDir);
    for (const f of written) {
        process.stderr.write(`  ${path.relative(process.cwd(), f)}\n`);
    }
    const overview = writeStacksOverview(outDir, selectStacks([]).stacks);
    process.stderr.write(`rendered ${written.length} diagram(s); open ${path.relative(process.cwd(), path.join(overview, "index.html"))}\n`);
    return 0;
}

cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
        process.stderr.write(`${(e as Error).message ?? String(e)}\n`);
        process.exit(1);
    },
);
