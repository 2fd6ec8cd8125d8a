import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFile } from "../../plan/engine";

/** `npm run plan` as a user runs it: exit codes and what it prints. */

const root = path.resolve(__dirname, "..", "..");

function plan(stack: string, config?: Record<string, unknown>): { code: number | null; stdout: string; stderr: string; out: string } {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
    const env = { ...process.env };
    if (config) {
        const file = path.join(out, "config.json");
        fs.writeFileSync(file, JSON.stringify(config));
        env.PLAN_CONFIG_FILE = file;
    }
    const r = spawnSync(process.execPath, ["-r", path.join(root, "plan", "register.js"), path.join(root, "plan", "cli.ts"), stack, "--no-tree", "--out", out], {
        cwd: root,
        env,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

describe("npm run plan", () => {
    it("exits 0 on a clean stack and writes its files", () => {
        const r = plan("dev");
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/Previewing stack dev \(offline, mocked providers\)\nResources: \d+ to create/);
        expect(r.stdout).toContain("Findings (0 mandatory");
        for (const f of ["resources.json", "findings.json"]) {
            expect(fs.existsSync(path.join(r.out, "dev", f))).toBe(true);
        }
        expect(fs.readdirSync(path.join(r.out, "dev", "k8s")).length).toBeGreaterThan(0);
    });

    it("exits 1 on a config error, printing every problem", () => {
        const raw = readStackFile("dev");
        raw.environment = "qa";
        (raw.gcp as Record<string, unknown>).project = "X";
        const r = plan("dev", raw);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('error (config): stack "dev" has 2 configuration problem(s)');
        expect(r.stdout).toContain("learning-platform:environment");
        expect(r.stdout).toContain("learning-platform:gcp.project");
    });

    it("exits 1 on a mandatory finding: an autoscaler maximum the database cannot serve", () => {
        const raw = readStackFile("dev");
        raw.replicaOverrides = { "progress-service/ingest": { min: 1, max: 1000 } };
        const r = plan("dev", raw);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/MANDATORY\s+capacity\/db-connection-budget\s+progress-service-db@us-west-2: connection demand \d+ exceeds the budget/);
    });

    it("refuses an unknown stack and names the known ones", () => {
        const r = plan("prod-xx");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("unknown stack(s): prod-xx; stacks: dev, staging, prod-ap, prod-eu, prod-me, prod-us");
    });
});
