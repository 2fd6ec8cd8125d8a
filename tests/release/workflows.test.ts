import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ROOT, listStacks } from "../../plan/engine";
import { productionWaves } from "../../data/catalog/release";

/**
 * The release workflows follow seeds/000 §8 and 001 §6/§12: sign + SBOM before any digest is
 * written; dev and staging continuously; prod-us after the 48 h staging soak with synthetic checks;
 * the other production stacks no earlier than 24 h after prod-us; each stack in its GitHub
 * environment (production reviewers); nightly drift detection of every stack.
 */

interface Step { uses?: string; run?: string; name?: string; env?: Record<string, string> }
interface Job { needs?: string | string[]; uses?: string; with?: Record<string, string>; environment?: string; if?: string; steps?: Step[]; "runs-on"?: string; strategy?: { matrix: { include: Record<string, string>[] } } }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, Job> }
const workflow = (name: string) => YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", `${name}.yml`), "utf8")) as Workflow;
const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

describe("release.yml: sign and SBOM before the digest is written", () => {
    const wf = workflow("release");
    it("the sign job signs with cosign, attests the CycloneDX SBOM and the Binary Authorization attestation; dev needs it, staging needs dev", () => {
        const sign = runs(wf.jobs.sign);
        expect(sign).toMatch(/syft .* -o cyclonedx-json=/);
        expect(sign).toContain("cosign sign --yes --key \"awskms:///$arn\"");
        expect(sign).toContain("cosign attest --yes --key \"awskms:///$arn\" --type cyclonedx");
        expect(sign).toContain("binauthz attestations sign-and-create");
        expect(wf.jobs.dev.needs).toBe("sign");
        expect(wf.jobs.staging.needs).toBe("dev");
        expect([wf.jobs.dev.with?.stack, wf.jobs.staging.with?.stack]).toEqual(["dev", "staging"]);
    });

    it("a stack step verifies the signature before it writes the digest into the stack config, in the stack's environment", () => {
        const job = workflow("release-stack").jobs.deploy;
        expect(job.environment).toBe("${{ inputs.stack }}");
        const steps = (job.steps ?? []).map((s) => s.run ?? "");
        const verify = steps.findIndex((r) => r.startsWith("cosign verify"));
        const write = steps.findIndex((r) => r.includes('pulumi config set --path "images.'));
        expect(verify).toBeGreaterThanOrEqual(0);
        expect(write).toBeGreaterThan(verify);
    });
});

describe("release-waves.yml: production in the document's order", () => {
    const wf = workflow("release-waves");
    it("is scheduled, soaks staging 48 h and waits 24 h after prod-us (seeds/000 §8)", () => {
        expect(Object.keys(wf.on)).toEqual(["schedule", "workflow_dispatch"]);
        const env = wf.jobs.due.steps?.find((s) => s.run)?.env ?? {};
        expect(Number(env.STAGING_SOAK_HOURS)).toBe(48);
        expect(Number(env.WAVE_DELAY_HOURS)).toBe(24);
        expect([productionWaves.stagingSoakHours, productionWaves.delayHours]).toEqual([48, 24]);
        expect(runs(wf.jobs.due)).toContain("synthetic-staging");
    });

    it("prod-us first; prod-eu, prod-me and prod-ap only when the later wave is due; each its own stack step", () => {
        expect(wf.jobs["prod-us"].if).toBe("needs.due.outputs.prod_us == 'true'");
        for (const s of productionWaves.later) {
            expect(wf.jobs[s].if).toBe("needs.due.outputs.later == 'true'");
            expect(wf.jobs[s].with?.stack).toBe(s);
            expect(wf.jobs[s].uses).toBe("./.github/workflows/release-stack.yml");
        }
        const prodStacks = listStacks().filter((s) => s.startsWith("prod-"));
        expect([productionWaves.first, ...productionWaves.later].sort()).toEqual(prodStacks.sort());
    });
});

describe("drift.yml: nightly, every stack, fails on any change", () => {
    it("runs preview --refresh --expect-no-changes for every stack on its runner and reports what drifted", () => {
        const wf = workflow("drift");
        expect(Object.keys(wf.on)).toEqual(["schedule", "workflow_dispatch"]);
        const job = wf.jobs.drift;
        expect((job.strategy?.matrix.include ?? []).map((e) => e.stack).sort()).toEqual(listStacks().sort());
        expect(runs(job)).toContain("pulumi preview --stack \"$STACK\" --refresh --expect-no-changes");
        expect(runs(job)).toContain("GITHUB_STEP_SUMMARY");
    });
});
