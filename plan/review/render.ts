import * as fs from "fs";
import * as path from "path";
import { createMermaidRenderer } from "mermaid-isomorphic";
import { chromiumPath } from "./chromium";

/**
 * The diagram's SVG: Mermaid (the project's own renderer, through mermaid-isomorphic, both from the
 * npm registry) in a headless Chromium driven by Playwright. No browser is downloaded: it runs the
 * system's Chromium (Debian's `chromium` package; CHROMIUM_PATH overrides). Kept out of `npm run
 * plan`, which must work on a machine without a browser: the plan writes diagram.mmd, this step
 * writes diagram.svg beside it (`npm run review`, run by CI).
 */

/** Mermaid's settings for the pack: SVG text labels (no HTML in foreignObject), so the SVG renders as an <img> too. */
const mermaidConfig = { flowchart: { htmlLabels: false, useMaxWidth: false }, htmlLabels: false, fontFamily: "arial,sans-serif", securityLevel: "strict" as const };

/** Renders every `<dir>/<stack>/review/diagram.mmd` under `outDir` to diagram.svg; returns the files written. */
export async function renderDiagrams(outDir: string): Promise<string[]> {
    const sources = fs.existsSync(outDir)
        ? fs
              .readdirSync(outDir)
              .map((s) => path.join(outDir, s, "review", "diagram.mmd"))
              .filter((f) => fs.existsSync(f))
        : [];
    if (sources.length === 0) {
        throw new Error(`no diagram.mmd under ${outDir}/<stack>/review/: run npm run plan first`);
    }
    const render = createMermaidRenderer({ launchOptions: { executablePath: chromiumPath(), args: ["--no-sandbox"] } });
    const results = await render(
        sources.map((f) => fs.readFileSync(f, "utf8")),
        { mermaidConfig },
    );
    const written: string[] = [];
    const failures: string[] = [];
    results.forEach((r, i) => {
        if (r.status === "fulfilled") {
            const file = sources[i].replace(/\.mmd$/, ".svg");
            fs.writeFileSync(file, r.value.svg);
            written.push(file);
        } else {
            failures.push(`${sources[i]}: ${String((r.reason as Error)?.message ?? r.reason)}`);
        }
    });
    if (failures.length > 0) {
        throw new Error(`Mermaid could not render:\n${failures.join("\n")}`);
    }
    return written;
}
