import { assignmentService } from "../../data/catalog/assignment";
import { authoringService } from "../../data/catalog/authoring";
import { progressService } from "../../data/catalog/progress";
import { K8sRole } from "../../data/catalog/types";
import { kedaPausedReplicasAnnotation, runsInRegion, writesOnItsOwn } from "../../data/residency";
import { StackRun } from "../../plan/engine";
import { byType, fixture, one, planOf, readStackFile, runProgram } from "../harness";
import { disruptionBudgets } from "../../policy/rules/k8s";
import { runPolicies } from "../../plan/policy-runner";

/**
 * Passive means passive: in a passive region (seeds/000 §4: prod-eu, prod-me active/passive) the
 * database is a read-only Aurora global secondary, so nothing that writes on its own runs there —
 * assignment's scheduler (seeds/000 §2: "StatefulSet/assignment-scheduler (2 replicas, leader-elected
 * via lease)"), progress's partition manager (seeds/003: pg_partman scheduled jobs), the outbox
 * relays. Promotion is flipping the regions' roles in the stack file; the plan then runs them.
 */

const roleOf = (card: { roles: readonly K8sRole[] }, name: string): K8sRole => {
    const r = card.roles.find((x) => x.name === name);
    if (!r) {
        throw new Error(`no role ${name}`);
    }
    return r;
};

const scheduler = (run: StackRun, region: string) => one(run, "kubernetes:apps/v1:StatefulSet", `assignment-service-${region}-scheduler`);
const partitionManager = (run: StackRun, region: string) => one(run, "kubernetes:batch/v1:CronJob", `progress-service-${region}-partition-manager`);
const relays = ["assignment-service/worker", "authoring-service/worker", "progress-service/outbox-relay"];
const scaler = (run: StackRun, region: string, serviceRole: string) => {
    const [service, role] = serviceRole.split("/");
    return one(run, "kubernetes:keda.sh/v1alpha1:ScaledObject", `${service}-${region}-${role}-scaler`);
};
const deployment = (run: StackRun, region: string, serviceRole: string) => {
    const [service, role] = serviceRole.split("/");
    return one(run, "kubernetes:apps/v1:Deployment", `${service}-${region}-${role}`);
};
const spec = (r: { props: Record<string, unknown> }) => r.props.spec as Record<string, unknown>;
const annotations = (r: { props: Record<string, unknown> }) => (r.props.metadata as { annotations?: Record<string, string> }).annotations;

describe("which roles stop in a passive region (pure)", () => {
    it("the leader-elected scheduler, the cron job and the three outbox relays; not the APIs or consumers", () => {
        expect(writesOnItsOwn(roleOf(assignmentService, "scheduler"))).toBe(true);
        expect(writesOnItsOwn(roleOf(progressService, "partition-manager"))).toBe(true);
        expect(writesOnItsOwn(roleOf(assignmentService, "worker"))).toBe(true);
        expect(writesOnItsOwn(roleOf(authoringService, "worker"))).toBe(true);
        expect(writesOnItsOwn(roleOf(progressService, "outbox-relay"))).toBe(true);
        expect(writesOnItsOwn(roleOf(assignmentService, "api"))).toBe(false);
        expect(writesOnItsOwn(roleOf(progressService, "ingest"))).toBe(false);
        expect(runsInRegion(roleOf(assignmentService, "scheduler"), "passive")).toBe(false);
        expect(runsInRegion(roleOf(assignmentService, "scheduler"), "active")).toBe(true);
    });
});

describe.each([
    ["prod-eu", "eu-west-1", "eu-central-1"],
    ["prod-me", "me-central-1", "me-south-1"],
])("%s", (stack, active, passive) => {
    it(`passive ${passive}: scheduler at 0 replicas, partition manager suspended, outbox relays held at 0 by KEDA, no PDB over them`, async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(spec(scheduler(run, passive)).replicas).toBe(0);
        expect(spec(partitionManager(run, passive)).suspend).toBe(true);
        for (const r of relays) {
            expect(annotations(scaler(run, passive, r))).toEqual({ [kedaPausedReplicasAnnotation]: "0" });
            expect(spec(deployment(run, passive, r)).replicas).toBe(0);
        }
        expect(byType(run, "kubernetes:policy/v1:PodDisruptionBudget").filter((p) => p.name === `assignment-service-${passive}-scheduler-pdb`)).toEqual([]);
    });

    it(`active ${active}: the scheduler runs the document's 2 replicas, the partition manager is scheduled, the relays autoscale`, async () => {
        const { run } = await planOf(stack);
        expect(run.error).toBeNull();
        expect(spec(scheduler(run, active)).replicas).toBe(2);
        expect(spec(partitionManager(run, active))).toMatchObject({ suspend: false, schedule: "17 * * * *" });
        for (const r of relays) {
            expect(annotations(scaler(run, active, r))).toBeUndefined();
            expect(spec(deployment(run, active, r)).replicas).toBeUndefined();
        }
    });
});

describe("promotion: prod-eu with eu-central-1 promoted (roles flipped in the stack file)", () => {
    const promoted = () => {
        const config = readStackFile("prod-eu");
        const aws = config.aws as { regions: { region: string; role: string }[] };
        // The runbook's step 2: the one change to the stack file.
        config.aws = { ...aws, regions: [{ region: "eu-west-1", role: "passive" }, { region: "eu-central-1", role: "active" }] };
        return runProgram("prod-eu", { config });
    };

    it("runs the scheduler, the partition manager and the relays in eu-central-1 and stops them in eu-west-1", async () => {
        const run = await promoted();
        expect(run.error).toBeNull();
        expect(spec(scheduler(run, "eu-central-1")).replicas).toBe(2);
        expect(spec(partitionManager(run, "eu-central-1")).suspend).toBe(false);
        for (const r of relays) {
            expect(annotations(scaler(run, "eu-central-1", r))).toBeUndefined();
        }
        expect(spec(scheduler(run, "eu-west-1")).replicas).toBe(0);
        expect(spec(partitionManager(run, "eu-west-1")).suspend).toBe(true);
    });

    it("makes eu-central-1's databases the global primaries (a writer, the same global ids) and eu-west-1's the secondaries", async () => {
        const run = await promoted();
        expect(run.error).toBeNull();
        const globals = byType(run, "aws:rds/globalCluster:GlobalCluster");
        expect(globals.map((g) => [g.region, g.props.globalClusterIdentifier]).sort()).toEqual([
            ["eu-central-1", "assignment-service-prod"],
            ["eu-central-1", "authoring-service-prod"],
            ["eu-central-1", "progress-service-prod"],
        ]);
        const writer = one(run, "aws:rds/clusterInstance:ClusterInstance", "eu-central-1-assignment-service-db-0");
        expect((writer.props.tags as Record<string, string>).member).toBe("writer");
        const secondary = one(run, "aws:rds/cluster:Cluster", "eu-west-1-assignment-service-db-cluster");
        expect(secondary.props.globalClusterIdentifier).toBe("assignment-service-prod");
        expect(secondary.props.masterUsername).toBeUndefined();
        // The DNS failover follows: eu-central-1 is now the primary record.
        const record = one(run, "aws:route53/record:Record", "eu-central-1-edge-dns");
        expect(record.props.failoverRoutingPolicies).toEqual([{ type: "PRIMARY" }]);
    });
});

describe("k8s-pdb honours KEDA's paused-replicas (a stopped role needs no budget)", () => {
    const deploymentFixture = () =>
        fixture(
            "kubernetes:apps/v1:Deployment",
            { metadata: { name: "assignment-worker", namespace: "assignment" }, spec: { replicas: 0, selector: { matchLabels: { app: "w" } }, template: { metadata: { labels: { app: "w" } }, spec: { containers: [] } } } },
            { name: "dep" },
        );
    const scaledObject = (annotations?: Record<string, string>) =>
        fixture(
            "kubernetes:keda.sh/v1alpha1:ScaledObject",
            { metadata: { name: "assignment-worker", namespace: "assignment", annotations }, spec: { scaleTargetRef: { name: "assignment-worker" }, minReplicaCount: 3, maxReplicaCount: 12 } },
            { name: "so" },
        );
    it("fails a worker whose autoscaler keeps 3 replicas and no PDB", async () => {
        const findings = await runPolicies([disruptionBudgets], [deploymentFixture(), scaledObject()]);
        expect(findings.map((f) => f.ruleId)).toEqual(["k8s-pdb"]);
    });
    it("passes the same worker held at 0 by paused-replicas", async () => {
        expect(await runPolicies([disruptionBudgets], [deploymentFixture(), scaledObject({ [kedaPausedReplicasAnnotation]: "0" })])).toEqual([]);
    });
});
