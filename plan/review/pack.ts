import * as fs from "fs";
import * as path from "path";
import { TopologyCard } from "../../data/catalog/types";
import { activeCatalog } from "../../data/catalog/synthetic";
import type { PlannedStack } from "../plan";
import { renderCard, renderDecisionRecord } from "./card";
import { EvaluatedItem, ReviewInput, evaluateChecklist, renderChecklist } from "./checklist";
import { renderDiagram } from "./diagram";
import { renderIndexPage, renderStackPage } from "./html";
import { PlanIndex, Placement, placementsOf } from "./model";
import { StackSummary, renderStacks, summarize } from "./summary";

/**
 * The review pack (issue 13 item 7), written by `npm run plan` beside each stack's plan:
 *
 *   out/<stack>/review/index.html        cards, decision records, checklist, diagram
 *   out/<stack>/review/cards/<svc>.yaml  the §22 card as deployed
 *   out/<stack>/review/decisions/<svc>.md  the §28 decision record
 *   out/<stack>/review/checklist.md|json the §26 checklist, item by item
 *   out/<stack>/review/diagram.mmd       Mermaid source (diagram.svg: `npm run review`)
 *   out/<stack>/review/summary.json      the stack's column of out/review/stacks.md
 *   out/review/stacks.md, index.html     all stacks side by side
 */

const REPO = path.resolve(__dirname, "..", "..");

export function readRepoFile(relativePath: string): string | undefined {
    const file = path.join(REPO, relativePath);
    return fs.existsSync(file) && fs.statSync(file).isFile() ? fs.readFileSync(file, "utf8") : undefined;
}

export interface ReviewPack {
    readonly placements: readonly Placement[];
    readonly cards: readonly { readonly service: string; readonly yaml: string; readonly decision: string }[];
    readonly checklist: readonly EvaluatedItem[];
    readonly diagram: string;
    readonly summary: StackSummary;
}

/** Builds the pack of one planned stack (pure but for the runbook reads `readFile` does). */
export function buildReviewPack(planned: PlannedStack, cards: readonly TopologyCard[] = activeCatalog(), readFile: (p: string) => string | undefined = readRepoFile): ReviewPack {
    const index = new PlanIndex(planned.run.resources);
    const input: ReviewInput = { stack: planned.run.stack, index, graph: planned.graph, findings: planned.findings, cards, readFile };
    const byCard = cards.map((card) => ({ card, placements: placementsOf(index, card) })).filter((c) => c.placements.length > 0);
    const placements = byCard.flatMap((c) => c.placements);
    const checklist = evaluateChecklist(input);
    return {
        placements,
        cards: byCard.map(({ card, placements: ps }) => ({ service: card.service, yaml: renderCard(card, ps), decision: renderDecisionRecord(planned.run.stack, card, ps) })),
        checklist,
        diagram: renderDiagram(planned.run.stack, placements, planned.graph),
        summary: summarize(planned.run.stack, index, placements, checklist),
    };
}

/** Writes DIR/<stack>/review/ (nothing for a stack whose program failed: there is no plan to review). */
export function writeReviewPack(planned: PlannedStack, outDir: string): string | undefined {
    if (planned.run.error) {
        return undefined;
    }
    const pack = buildReviewPack(planned);
    const dir = path.join(outDir, planned.run.stack, "review");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "cards"), { recursive: true });
    fs.mkdirSync(path.join(dir, "decisions"), { recursive: true });
    for (const c of pack.cards) {
        fs.writeFileSync(path.join(dir, "cards", `${c.service}.yaml`), c.yaml);
        fs.writeFileSync(path.join(dir, "decisions", `${c.service}.md`), c.decision);
    }
    fs.writeFileSync(path.join(dir, "checklist.md"), renderChecklist(planned.run.stack, pack.checklist));
    fs.writeFileSync(path.join(dir, "checklist.json"), JSON.stringify(pack.checklist, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "diagram.mmd"), pack.diagram);
    fs.writeFileSync(path.join(dir, "summary.json"), JSON.stringify(pack.summary, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "index.html"), renderStackPage({ stack: planned.run.stack, cards: pack.cards, checklist: pack.checklist }));
    return dir;
}

/**
 * Writes DIR/review/stacks.md and index.html from every DIR/<stack>/review/summary.json present (the
 * stacks this run planned and any planned before into the same directory), in the order given.
 */
export function writeStacksOverview(outDir: string, order: readonly string[]): string {
    const present = fs.existsSync(outDir) ? fs.readdirSync(outDir).filter((s) => fs.existsSync(path.join(outDir, s, "review", "summary.json"))) : [];
    const stacks = [...order.filter((s) => present.includes(s)), ...present.filter((s) => !order.includes(s)).sort()];
    const summaries = stacks.map((s) => JSON.parse(fs.readFileSync(path.join(outDir, s, "review", "summary.json"), "utf8")) as StackSummary);
    const dir = path.join(outDir, "review");
    fs.mkdirSync(dir, { recursive: true });
    const md = renderStacks(summaries);
    fs.writeFileSync(path.join(dir, "stacks.md"), md);
    fs.writeFileSync(path.join(dir, "index.html"), renderIndexPage(stacks, md));
    return dir;
}
