import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Browser, chromium } from "playwright-core";
import { listStacks } from "../../plan/engine";
import { defaultChromium } from "../../plan/review/chromium";
import { planOf } from "../harness";

/**
 * End to end: `npm run review` renders the diagrams of the packs the global setup's plan wrote, and
 * a real headless Chromium (Debian's `chromium` package; CHROMIUM_PATH overrides) opens each stack's
 * index.html from disk: every deployed service's card is there and the diagram renders. Never
 * skipped: without Chromium this fails and says how to install it.
 */

jest.setTimeout(240_000);

const executablePath = process.env.CHROMIUM_PATH ?? defaultChromium;
const root = path.resolve(__dirname, "..", "..");
let browser: Browser | undefined;

beforeAll(async () => {
    if (!fs.existsSync(executablePath)) {
        throw new Error(`the review pack's browser test needs Chromium at ${executablePath}: apt-get install -y chromium (Debian), or set CHROMIUM_PATH`);
    }
    const dir = process.env.PLAN_CACHE_DIR ?? "";
    const run = spawnSync(process.execPath, ["-r", path.join(root, "plan", "register.js"), path.join(root, "plan", "review", "cli.ts"), "--out", dir], { encoding: "utf8", env: { ...process.env, CHROMIUM_PATH: executablePath } });
    if (run.status !== 0) {
        throw new Error(`npm run review failed (${run.status}):\n${run.stderr}`);
    }
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
});

afterAll(async () => {
    await browser?.close();
});

function openPage() {
    if (!browser) {
        throw new Error("no browser");
    }
    return browser.newPage();
}

const fileUrl = (...parts: string[]) => `file://${path.join(process.env.PLAN_CACHE_DIR ?? "", ...parts)}`;

describe("the review pack in a browser", () => {
    test.each(listStacks())("%s: every deployed service's card is shown and the diagram renders", async (stack) => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const services = fs.readdirSync(path.join(process.env.PLAN_CACHE_DIR ?? "", stack, "review", "cards")).map((f) => f.replace(/\.yaml$/, ""));
        expect(services.length).toBeGreaterThan(0);
        const page = await openPage();
        try {
            await page.goto(fileUrl(stack, "review", "index.html"));
            expect(await page.title()).toBe(`Review pack: ${stack}`);
            for (const service of services) {
                const card = page.locator(`section.card[data-service="${service}"] pre.card-yaml`);
                await expect(card.isVisible()).resolves.toBe(true);
                const text = await card.innerText();
                expect(text).toContain(`service: ${service}`);
                expect(text).toMatch(/minReplicas: \d+/);
            }
            // The diagram: the <img> loaded the SVG and has a size. (Page scripts as strings: the
            // project compiles without the DOM library.)
            await page.waitForFunction('document.querySelector("img#diagram")?.complete === true');
            const size = await page.evaluate<{ w: number; h: number }>('(() => { const i = document.querySelector("img#diagram"); return { w: i.naturalWidth, h: i.naturalHeight }; })()');
            expect(size.w).toBeGreaterThan(100);
            expect(size.h).toBeGreaterThan(100);
            // The SVG itself: a laid-out node per service placement, labelled with the service's name.
            await page.goto(fileUrl(stack, "review", "diagram.svg"));
            const labels = await page.evaluate<{ text: string; width: number }[]>('Array.from(document.querySelectorAll("g.node")).map((n) => ({ text: n.textContent || "", width: n.getBBox().width }))');
            for (const service of services) {
                const nodes = labels.filter((l) => l.text.startsWith(service));
                expect(nodes.length).toBeGreaterThan(0);
                expect(Math.min(...nodes.map((n) => n.width))).toBeGreaterThan(0);
            }
        } finally {
            await page.close();
        }
    });

    test("the pack's front page links every stack", async () => {
        const page = await openPage();
        try {
            await page.goto(fileUrl("review", "index.html"));
            const links = await page.locator("#stacks a").allTextContents();
            expect([...links].sort()).toEqual([...listStacks()].sort());
            expect(await page.locator("#side-by-side").innerText()).toContain("| assignment-service/api |");
        } finally {
            await page.close();
        }
    });
});
