import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { forkForMessage } from "../../plan/parallel";

/**
 * The benchmark's SDK lower bound (plan/replay.ts) must register every resource a plan recorded,
 * each through its SDK class: a lower bound that skipped some would understate the SDK's share.
 */
describe("the SDK lower bound replay", () => {
    it("registers every resource of a planned stack", async () => {
        const file = path.join(process.env.PLAN_CACHE_DIR as string, "staging", "resources.json");
        const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as { type: string }[];
        const { message, code } = await forkForMessage<{ registered: number }>(path.join(__dirname, "..", "..", "plan", "replay.ts"), { args: [file], stdout: "ignore" });
        expect(code).toBe(0);
        // Everything but the root stack, which the replay's own runtime creates.
        expect(message?.registered).toBe(recorded.filter((r) => r.type !== "pulumi:pulumi:Stack").length);
        expect(message?.registered).toBeGreaterThan(500);
    });

    it("refuses a type it has no SDK class for", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replay-"));
        const file = path.join(dir, "resources.json");
        fs.writeFileSync(file, JSON.stringify([{ type: "aws:nosuch/thing:Thing", name: "x", parent: null, provider: null, inputs: {} }]));
        const { code } = await forkForMessage(path.join(__dirname, "..", "..", "plan", "replay.ts"), { args: [file], stdout: "ignore" });
        expect(code).toBe(2);
    });
});
