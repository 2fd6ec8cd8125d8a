import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ROOT, listStacks, RegisteredResource } from "../../plan/engine";
import { migrationToken } from "../../components/gcp/migration";
import { nonEmpty, planOf } from "../harness";

/**
 * Migrations before rollout (seed 001 §6 "migrations applied before the new revision"; seeds 002 §8 /
 * 003 §10 "migrations pre-deploy"), and release commits that do not re-run the infrastructure workflow.
 * The order is what is tested: a step moved before another fails these assertions.
 */

interface Step { name?: string; run?: string; if?: string }
const stackSteps = (): Step[] => (YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "release-stack.yml"), "utf8")) as { jobs: { deploy: { steps: Step[] } } }).jobs.deploy.steps;
const indexOf = (steps: readonly Step[], what: string, test: (run: string) => boolean): number => {
    const i = steps.findIndex((s) => test(s.run ?? ""));
    if (i < 0) {
        throw new Error(`release-stack.yml has no step that ${what}`);
    }
    return i;
};

describe("release-stack.yml: notification-service migrates before Cloud Deploy serves the new revision", () => {
    const steps = stackSteps();
    const verify = indexOf(steps, "verifies the signature", (r) => r.startsWith("cosign verify"));
    const write = indexOf(steps, "writes the digest", (r) => r.includes('pulumi config set --path "images.${{ inputs.image_key }}"'));
    const migrate = indexOf(steps, "runs a targeted up", (r) => /pulumi up .*"\$\{targets\[@\]\}"/.test(r));
    const release = indexOf(steps, "creates the Cloud Deploy release", (r) => r.includes("gcloud deploy releases create"));
    const apply = indexOf(steps, "applies the whole stack", (r) => r.startsWith("pulumi up") && !r.includes("--target"));
    const record = indexOf(steps, "commits the stack file", (r) => r.includes("git commit"));

    it("verify → write digest → targeted up of the migration jobs → Cloud Deploy release → full up → commit", () => {
        expect([verify, write, migrate, release, apply, record]).toEqual([...[verify, write, migrate, release, apply, record]].sort((a, b) => a - b));
        expect(new Set([verify, write, migrate, release, apply, record]).size).toBe(6);
        // The migration and the Cloud Deploy release are notification-service's; the write and the full up every image's.
        expect([steps[migrate].if, steps[release].if]).toEqual(["inputs.image_key == 'notification-service'", "inputs.image_key == 'notification-service'"]);
        expect([steps[write].if, steps[apply].if]).toEqual([undefined, undefined]);
    });

    it("targets exactly each active region's notification-migrate job, without its dependents, and checks each region's execution", () => {
        const run = steps[migrate].run ?? "";
        expect(run).toContain('select(.type == "gcp:cloudrunv2/job:Job" and .outputs.name == "notification-migrate") | .urn');
        expect(run).toContain('for urn in "${urns[@]}"; do targets+=(--target "$urn"); done');
        // One job per active region, or the step fails before anything is applied.
        expect(run).toContain('test "${#urns[@]}" -eq "$(echo "$regions" | wc -w)"');
        const up = run.split("\n").filter((l) => l.trim().startsWith("pulumi up"));
        expect(up).toEqual(['pulumi up --yes --policy-pack policy --stack "$stack" --suppress-outputs "${targets[@]}"']);
        // The latest execution in every active region ran this digest and succeeded.
        expect(run).toContain("gcloud run jobs executions list --job notification-migrate");
        expect(run).toContain('test "$image" = "${{ inputs.image }}" && test "${succeeded:-0}" -ge 1');
    });

    it("a new digest is a new execution token, so the targeted up executes the job (and waits for it)", () => {
        const a = `europe-docker.pkg.dev/p/r/notification@sha256:${"a".repeat(64)}`;
        const b = `europe-docker.pkg.dev/p/r/notification@sha256:${"b".repeat(64)}`;
        expect(migrationToken("notification-migrate", a, ["pgcrypto"])).not.toBe(migrationToken("notification-migrate", b, ["pgcrypto"]));
        expect(migrationToken("notification-migrate", a, ["pgcrypto"])).toBe(migrationToken("notification-migrate", a, ["pgcrypto"]));
    });

    it("Cloud Deploy runs no migration action: its execution environment cannot reach Cloud SQL", () => {
        const skaffold = YAML.parse(fs.readFileSync(path.join(ROOT, "deploy", "notification", "skaffold.yaml"), "utf8")) as { customActions: { name: string; containers: { env?: { name: string; value: string }[] }[] }[] };
        expect(skaffold.customActions.map((a) => a.name)).toEqual(["synthetic-check"]);
        const roles = skaffold.customActions.flatMap((a) => a.containers.flatMap((c) => (c.env ?? []).filter((e) => e.name === "APP_ROLE").map((e) => e.value)));
        expect(roles).not.toContain("migrate");
    });
});

describe("release-stack.yml: the release commit does not re-trigger main.yml", () => {
    it("the stack-file commit carries [skip ci], and its subject stays what release-waves.yml parses", () => {
        const steps = stackSteps();
        const run = steps[indexOf(steps, "commits the stack file", (r) => r.includes("git commit"))].run ?? "";
        expect(run).toContain('git commit -m "release: ${{ inputs.image_key }} → ${{ inputs.stack }} (${{ inputs.image }})" -m "[skip ci]"');
        const main = YAML.parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", "main.yml"), "utf8")) as { on: Record<string, unknown> };
        // main.yml is push-triggered: exactly the trigger GitHub's [skip ci] suppresses.
        expect(Object.keys(main.on)).toEqual(["push"]);
    });
});

const workloadTypes = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:CronJob"];
const nsOf = (r: RegisteredResource) => String((r.props.metadata as { namespace?: string } | undefined)?.namespace);
const isMigration = (r: RegisteredResource) => r.type === "kubernetes:batch/v1:Job" && r.name.endsWith("-migrate");

describe.each(listStacks())("%s: EKS workloads wait for their migration Job", (stack) => {
    it("every workload of a service with a migration Job depends on that Job (same cluster, same namespace)", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const migrations = nonEmpty(planned.run.resources.filter(isMigration));
        for (const job of migrations) {
            const workloads = nonEmpty(planned.run.resources.filter((r) => workloadTypes.includes(r.type) && r.provider === job.provider && nsOf(r) === nsOf(job)));
            const missing = workloads.filter((w) => !(w.dependsOn ?? []).includes(job.urn)).map((w) => w.name);
            expect(missing).toEqual([]);
        }
    });
});
