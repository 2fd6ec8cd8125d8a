import { listStacks, readStackFile, RegisteredResource } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { cloudDeployCanary, pipelineProblems } from "../../policy/rules/release";
import { preProductionTargets } from "../../data/catalog/release";
import { rollbackQueries } from "../../components/gcp/release";
import { fixture, nonEmpty, planOf } from "../harness";

/**
 * Cloud Deploy for notification-service (seed 001 §6): stages dev → staging → prod, prod behind
 * approval; prod canary 5 % for 15 min → 50 % for 30 min → 100 %; automatic rollback when the
 * canary's error rate > 1 % over 5 min, p95 > 2 × baseline, or the synthetic post-deploy check fails.
 */

type Phase = { phaseId: string; percentage: number; analysis?: { duration: string; googleCloud: { alertPolicyChecks: { alertPolicies: string[] }[] } }; postdeploy?: { actions: string[] }; predeploy?: { actions: string[] } };
const phasesOf = (stage: Record<string, unknown>) => ((stage.strategy as { canary: { customCanaryDeployment: { phaseConfigs: Phase[] } } }).canary.customCanaryDeployment.phaseConfigs);

describe.each(listStacks())("%s: the notification pipeline", (stack) => {
    it("stages in the document's order up to the stack's environment, the 5/15 → 50/30 → 100 canary on each, prod approval", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const env = String(readStackFile(stack).environment);
        const pipelines = planned.run.resources.filter((r) => r.type === "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline");
        expect(pipelines).toHaveLength(1);
        const stages = (pipelines[0].props.serialPipeline as { stages: Record<string, unknown>[] }).stages;
        const expected = { dev: ["dev"], staging: ["dev", "staging"], prod: ["dev", "staging", "prod"] }[env] ?? [];
        expect(stages.map((s) => s.targetId)).toEqual(expected.map((e) => `notification-${e}`));
        for (const stage of nonEmpty(stages)) {
            const phases = phasesOf(stage);
            expect(phases.map((p) => [p.phaseId, p.percentage, p.analysis?.duration])).toEqual([
                ["canary-5", 5, "900s"],
                ["canary-50", 50, "1800s"],
                ["stable", 100, undefined],
            ]);
            // No phase runs migrations: Cloud Deploy's execution environment has no VPC path to Cloud SQL
            // (the release workflow runs the migration jobs before it creates the release, tests/release/migrations.test.ts).
            expect(phases.map((p) => p.predeploy)).toEqual([undefined, undefined, undefined]);
            expect(phases[2].postdeploy?.actions).toEqual(["synthetic-check"]);
            for (const p of phases.slice(0, 2)) {
                expect(p.analysis?.googleCloud.alertPolicyChecks[0].alertPolicies).toHaveLength(3);
            }
        }
        const targets = planned.run.resources.filter((r) => r.type === "gcp:clouddeploy/target:Target");
        expect(targets.map((t) => [t.props.name, t.props.requireApproval])).toEqual(expected.map((e) => [`notification-${e}`, e === "prod"]));
        const own = targets.find((t) => t.props.name === `notification-${env}`);
        const gcp = readStackFile(stack).gcp as { project: string; regions: { region: string; role: string }[] };
        expect((own?.props.run as { location: string }).location).toBe(`projects/${gcp.project}/locations/${gcp.regions.find((r) => r.role === "active")?.region}`);
        expect(planned.findings.filter((f) => f.ruleId === "release-cloud-deploy-canary")).toEqual([]);
    });

    it("the three rollback conditions are alert policies, and the automation rolls a failed rollout back", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const alerts = planned.run.resources.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy" && (r.props.userLabels as Record<string, string> | undefined)?.purpose === "rollback");
        expect(alerts.map((a) => a.props.displayName).sort()).toEqual([
            "notification canary error rate > 1 % over 5 min",
            "notification canary p95 > 2x baseline",
            "notification synthetic check failed",
        ]);
        const automation = planned.run.resources.find((r) => r.type === "gcp:clouddeploy/automation:Automation");
        const rules = automation?.props.rules as Record<string, { id: string; repairPhases?: unknown[]; sourcePhases?: string[] }>[];
        expect(rules.map((r) => Object.keys(r)[0])).toEqual(["advanceRolloutRule", "repairRolloutRule"]);
        expect(rules[0].advanceRolloutRule.sourcePhases).toEqual(["canary-5", "canary-50"]);
        expect(rules[1].repairRolloutRule.repairPhases).toEqual([{ rollback: {} }]);
        // The execution account runs jobs and Cloud Run revisions; the Cloud Deploy service agent acts as it.
        const roles = planned.run.resources.filter((r) => r.type === "gcp:projects/iAMMember:IAMMember" && r.name.startsWith("notification-release-exec-")).map((r) => r.props.role).sort();
        expect(roles).toEqual(["roles/clouddeploy.jobRunner", "roles/monitoring.viewer", "roles/run.developer"]);
        const agent = planned.run.resources.find((r) => r.name === "notification-release-agent-acts-as-exec");
        expect(String(agent?.props.member)).toMatch(/^serviceAccount:service-\d+@gcp-sa-clouddeploy\.iam\.gserviceaccount\.com$/);
    });
});

describe("the rollback queries say what the document says", () => {
    it("error rate over 5 min above 1 %, p95 above twice the baseline", () => {
        const q = rollbackQueries("notification-api");
        expect(q.errorRate).toContain('response_code_class="5xx"');
        expect(q.errorRate).toContain("[5m]");
        expect(q.errorRate.endsWith("> 0.01")).toBe(true);
        expect(q.p95VersusBaseline).toContain("histogram_quantile(0.95");
        expect(q.p95VersusBaseline).toContain("> 2 * scalar(");
    });

    it("the pre-production targets are the dev and staging stacks' projects and active regions", () => {
        for (const env of ["dev", "staging"] as const) {
            const gcp = readStackFile(env).gcp as { project: string; regions: { region: string; role: string }[] };
            expect(preProductionTargets[env]).toEqual({ project: gcp.project, region: gcp.regions.find((r) => r.role === "active")?.region });
        }
    });
});

describe("release-cloud-deploy-canary", () => {
    const stage = (env: string, pcts: [number, number, number], durations: [string, string]) => ({
        targetId: `notification-${env}`,
        strategy: {
            canary: {
                customCanaryDeployment: {
                    phaseConfigs: [
                        { phaseId: `canary-${pcts[0]}`, percentage: pcts[0], analysis: { duration: durations[0], googleCloud: { alertPolicyChecks: [{ id: "r", alertPolicies: ["a", "b", "c"] }] } } },
                        { phaseId: `canary-${pcts[1]}`, percentage: pcts[1], analysis: { duration: durations[1], googleCloud: { alertPolicyChecks: [{ id: "r", alertPolicies: ["a", "b", "c"] }] } } },
                        { phaseId: "stable", percentage: pcts[2] },
                    ],
                },
            },
        },
    });
    const pipeline = (stages: unknown[]): RegisteredResource => fixture("gcp:clouddeploy/deliveryPipeline:DeliveryPipeline", { serialPipeline: { stages } }, { name: "notification" });
    it("passes on the document's canary in order; fails on other steps, other order, and an unapproved prod target", async () => {
        const good = ["dev", "staging", "prod"].map((e) => stage(e, [5, 50, 100], ["900s", "1800s"]));
        expect(await runPolicies([cloudDeployCanary], [pipeline(good)])).toEqual([]);
        expect(pipelineProblems({ serialPipeline: { stages: [stage("prod", [10, 50, 100], ["900s", "1800s"])] } })).toEqual([
            "stages prod are not the document's dev → staging → prod in order",
            "stage 1 canary 10 % / 15 min → 50 % / 30 min → 100 % / 0 min, the document's is 5 % / 15 min → 50 % / 30 min → 100 %",
        ]);
        const short = ["dev", "staging", "prod"].map((e) => stage(e, [5, 50, 100], ["300s", "1800s"]));
        expect((await runPolicies([cloudDeployCanary], [pipeline(short)])).map((f) => f.message)).toHaveLength(3);
        const unapproved = fixture("gcp:clouddeploy/target:Target", { name: "notification-prod", requireApproval: false }, { name: "t" });
        expect((await runPolicies([cloudDeployCanary], [unapproved])).map((f) => f.message)).toEqual(['Cloud Deploy target "t" promotes to prod without approval']);
    });
});
