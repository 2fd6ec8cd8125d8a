import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { runbookPath } from "../../data/catalog/observability";
import { ROOT, renderAll, renderRunbook, stackMatrix } from "../../scripts/runbooks";
import { planOf } from "../harness";

/**
 * Item 6 of issue 13: the runbooks are generated from the cards and the stack matrix; the
 * committed files equal what the script writes (so CI fails on a stale one), and every alert's
 * runbook_url lands on a heading that exists.
 */

const committed = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), "utf8");

describe("committed runbooks equal the generator's output", () => {
    it("one runbook per card, at the path the card names under docs/", () => {
        expect(Object.keys(renderAll()).sort()).toEqual(["docs/runbooks/assignment-service.md", "docs/runbooks/authoring-service.md", "docs/runbooks/notification-service.md", "docs/runbooks/progress-service.md"]);
    });

    it.each(catalog.map((c) => [c.service, runbookPath(c)]))("%s: %s is current", (_service, rel) => {
        expect(fs.existsSync(path.join(ROOT, rel))).toBe(true);
        expect(committed(rel)).toBe(renderAll()[rel]);
    });

    it("a card change makes the committed runbook stale (the check fails)", () => {
        const changed = { ...assignmentService, dr: { rpoMinutes: 5, rtoMinutes: 45 } };
        const text = renderRunbook(changed, stackMatrix());
        expect(text).toContain("RPO 5 min, RTO 45 min");
        expect(text).not.toBe(committed(runbookPath(assignmentService)));
    });

    it("`npm run runbooks -- --check` exits 0 on the committed files", () => {
        const out = spawnSync(process.execPath, ["-r", "./plan/register.js", "scripts/runbooks.ts", "--check"], { cwd: ROOT, encoding: "utf8" });
        expect(out.stderr).toBe("");
        expect(out.status).toBe(0);
    });
});

describe("what the runbooks say comes from the documents", () => {
    it("assignment: seeds/000 §9's RPO 5 / RTO 30, §1's prod bounds (api 4–24, worker 3–12), every dependency of §6", () => {
        const text = committed("docs/runbooks/assignment-service.md");
        expect(text).toContain("RPO 5 min, RTO 30 min");
        expect(text).toContain("| prod-us | prod | us-east-1 (active), us-west-2 (active) | 4–24 | 3–12 | 2–2 | 1–4 |");
        for (const dep of ["postgres", "redis", "nats", "ai-gateway-service", "notification-service", "tenant-service", "catalog-service"]) {
            expect(text).toContain(`| ${dep} |`);
        }
        expect(text).toContain("## Emergency levers");
    });

    it("notification: seed 001 §8's RPO 5 / RTO 30 and the DR region promotion", () => {
        const text = committed("docs/runbooks/notification-service.md");
        expect(text).toContain("RPO 5 min, RTO 30 min");
        expect(text).toMatch(/promote the Cloud SQL replica of `[^`]+` in us-central1/);
    });

    it("every runbook_url of the prod-us plan lands on a heading of the committed runbook", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const urls = new Set<string>();
        const walk = (v: unknown): void => {
            if (typeof v === "string") {
                for (const m of v.matchAll(/\/docs\/runbooks\/[a-z0-9-]+\.md#[a-z0-9-]+/g)) {
                    urls.add(m[0]);
                }
            } else if (Array.isArray(v)) {
                v.forEach(walk);
            } else if (v && typeof v === "object") {
                Object.values(v).forEach(walk);
            }
        };
        planned.run.resources.forEach((r) => walk(r.props));
        expect(urls.size).toBeGreaterThan(15);
        const missing = [...urls].filter((u) => {
            const [file, anchor] = u.slice(1).split("#");
            const headings = committed(file)
                .split("\n")
                .filter((l) => l.startsWith("#"))
                .map((l) => l.replace(/^#+\s*/, "").toLowerCase().replace(/[^a-z0-9 -]/g, "").replace(/ /g, "-"));
            return !headings.includes(anchor);
        });
        expect(missing).toEqual([]);
    });
});
