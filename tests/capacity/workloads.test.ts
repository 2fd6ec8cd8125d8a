import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";
import { progressService } from "../../data/catalog/progress";
import { K8sRole, K8sServiceCard } from "../../data/catalog/types";
import { evaluateCapacity } from "../../capacity";
import { connectionBudget, connectionBudgetFinding } from "../../capacity/db-budget";
import { dbBoundFindings, dbShares, disruptionBudget, disruptionFindings, pdbBelowMinFinding, poolBoundFindings, workloadCapacityFindings } from "../../capacity/workloads";
import { readStackFile } from "../../plan/engine";
import { parseStackConfig } from "../../data/config";
import { DeployContext, deployContext } from "../../data/context";
import { catalogRequirements } from "../../data/config";
import { resolveReplicas } from "../../data/replicas";

function ctxOf(stack: string, mutate?: (config: Record<string, unknown>) => void): DeployContext {
    const raw = readStackFile(stack);
    mutate?.(raw);
    return deployContext(parseStackConfig(stack, raw, catalogRequirements(catalog)), catalog);
}

/** The case study's §15 services as one card's roles (max replicas × pool per pod). */
function caseStudyCard(): K8sServiceCard {
    const role = (name: string, max: number, pool: number): K8sRole => ({
        ...assignmentService.roles[1],
        name,
        replicas: { dev: { min: 1, max }, staging: { min: 1, max }, prod: { min: 3, max } },
        dbPoolPerPod: pool,
    });
    return {
        ...assignmentService,
        service: "case-management",
        roles: [role("case", 12, 12), role("decision", 10, 10), role("workflow-workers", 15, 3), role("projection-workers", 10, 5)],
        database: { name: "case", readers: { dev: 0, staging: 0, prod: 0 }, reservedConnections: 0 },
    };
}

describe("HPA maximums against the database connection budget (case study §15, §27.2)", () => {
    it("rejects the worked example, 339 against 300, naming the offenders", () => {
        const card = caseStudyCard();
        const replicas = resolveReplicas([card], "prod");
        const result = connectionBudget({
            database: "case-db",
            maxConnections: 300,
            reserved: 0,
            clients: card.roles.map((r) => ({ name: `${card.service}/${r.name}`, maxReplicas: replicas[`${card.service}/${r.name}`].max, poolPerReplica: r.dbPoolPerPod })),
        });
        expect([result.demand, result.budget, result.fits]).toEqual([339, 300, false]);
        expect(connectionBudgetFinding(result).message).toBe(
            "connection demand 339 exceeds the budget 300 by 39: case-management/case 144 (42.5%), case-management/decision 100 (29.5%), case-management/projection-workers 50 (14.7%), case-management/workflow-workers 45 (13.3%)",
        );
        expect(connectionBudgetFinding(result).severity).toBe("mandatory");
        // The workload check adds, without failing the same fault again, the max each role could have, largest first.
        const findings = dbBoundFindings([card], replicas, "prod", 300);
        expect(findings.map((f) => [f.severity, f.resource])).toEqual([["advisory", "case-management-db"]]);
        expect(findings[0].message).toBe(
            "HPA maximums open 339 connections, over case-management's prod connection budget 300 (max_connections 300 − 0 reserved) by 39 (see capacity/db-connection-budget): " +
                "case-management/case 12×12 = 144 (fits at most 8), case-management/decision 10×10 = 100 (fits at most 6), " +
                "case-management/projection-workers 10×5 = 50 (fits at most 2), case-management/workflow-workers 15×3 = 45 (fits at most 2)",
        );
    });

    it("accepts the example's own fix once the budget is 339 or more", () => {
        const card = caseStudyCard();
        const findings = dbBoundFindings([card], resolveReplicas([card], "prod"), "prod", 339);
        expect(findings.map((f) => f.severity)).toEqual(["info"]);
    });

    it("the catalog's pools fit every environment's budget, with the arithmetic reported", () => {
        for (const stack of ["dev", "staging", "prod-us"]) {
            const ctx = ctxOf(stack);
            const db = workloadCapacityFindings(ctx).filter((f) => f.ruleId === "capacity/hpa-max-db-budget");
            expect(db.map((f) => [f.severity, f.resource])).toEqual([
                ["info", "assignment-service-db"],
                ["info", "authoring-service-db"],
                ["info", "progress-service-db"],
            ]);
        }
        const progress = dbShares(progressService, ctxOf("prod-us").replicas, "prod", 2000);
        // prod: api 50×4 + ingest 100×2 + projector 20×4 + outbox-relay 8×2 + partition-manager 1×1 = 497 of 1980.
        expect(progress.budget).toBe(1980);
        expect(progress.shares.reduce((s, x) => s + x.maxReplicas * x.poolPerPod, 0)).toBe(497);
        expect(progress.shares.find((s) => s.role === "progress-service/ingest")?.allowedMax).toBe(841);
    });

    it("a stack override that raises a maximum past the budget is a mandatory finding with the numbers, once per fault", () => {
        const ctx = ctxOf("prod-us", (c) => (c.replicaOverrides = { "progress-service/ingest": { min: 5, max: 1000 } }));
        // The sum over budget: db-connection-budget, per region; the role that breaks it alone: hpa-max-db-budget.
        const f = evaluateCapacity(ctx).filter((x) => x.severity === "mandatory");
        expect(f.map((x) => [x.ruleId, x.resource])).toEqual([
            ["capacity/db-connection-budget", "progress-service-db@us-east-1"],
            ["capacity/db-connection-budget", "progress-service-db@us-west-2"],
            ["capacity/hpa-max-db-budget", "progress-service/ingest"],
        ]);
        expect(workloadCapacityFindings(ctx).find((x) => x.resource === "progress-service-db")?.severity).toBe("advisory");
        expect(f[2].message).toBe(
            "max replicas 1000 × pool 2 alone break progress-service's prod connection budget 1980 (max_connections 2000 − 20 reserved): at most 970 fit even with the other roles at their minimum",
        );
    });
});

describe("HPA maximums against the node pool", () => {
    it("every role's max fits its pool in every stack", () => {
        for (const stack of ["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"]) {
            const ctx = ctxOf(stack);
            expect(poolBoundFindings(ctx.catalog, ctx.replicas, ctx.config.environment)).toEqual([]);
        }
    });

    it("capacity/hpa-max-node-pool: a maximum the pool at its max size cannot hold is a mandatory finding", () => {
        // progress-service on a worker pool of 10 c7i.2xlarge (7660m allocatable each = 76600m):
        // ingest 100 × 1000m + projector 20 × 500m + outbox-relay 8 × 250m + partition-manager 1 × 100m
        // = 112100m (seeds/003 §2–3; the last two ours). ingest could have (76600 − 12100) / 1000 = 64.
        const replicas = resolveReplicas([progressService], "prod");
        const small = (pool: string) => ({ instanceType: "c7i.2xlarge", minSize: 3, desiredSize: 3, maxSize: pool === "worker" ? 10 : 22 });
        const f = poolBoundFindings([progressService], replicas, "prod", small);
        expect(f.map((x) => [x.ruleId, x.severity, x.resource])).toEqual([
            ["capacity/hpa-max-node-pool", "mandatory", "progress-service/ingest"],
            ["capacity/hpa-max-node-pool", "mandatory", "progress-service/projector"],
            ["capacity/hpa-max-node-pool", "mandatory", "progress-service/outbox-relay"],
            ["capacity/hpa-max-node-pool", "mandatory", "progress-service/partition-manager"],
        ]);
        expect(f[0].message).toBe("max replicas 100 do not fit the worker pool at its max 10 × c7i.2xlarge with the other workloads at max: at most 64");
        // At the size the EKS component creates (22 nodes for the whole catalog), it fits.
        expect(poolBoundFindings([progressService], replicas, "prod")).toEqual([]);
    });

    it("a pod larger than a node of its pool is a mandatory finding", () => {
        const huge: K8sServiceCard = {
            ...progressService,
            roles: progressService.roles.map((r) => (r.name === "ingest" ? { ...r, resources: { ...r.resources, cpuRequest: "16", memoryRequest: "8Gi" } } : r)),
        };
        const cards = [assignmentService, huge];
        const f = poolBoundFindings(cards, resolveReplicas(cards, "prod"), "prod");
        expect(f.map((x) => [x.ruleId, x.severity, x.resource])).toEqual([["capacity/pod-fits-node", "mandatory", "progress-service/ingest"]]);
        // c7i.2xlarge (ours: README departures): 8 vCPU, 16 GiB → 7660m / 14419Mi allocatable.
        expect(f[0].message).toBe("one pod requests 16000m / 8192Mi, more than a c7i.2xlarge node's allocatable 7660m / 14419Mi");
    });
});

describe("PodDisruptionBudgets below every environment's minimum", () => {
    it("capacity/pdb-below-min fires on a budget at the minimum, and not one below it", () => {
        const range = { min: 4, max: 24 };
        expect(pdbBelowMinFinding("assignment-service/api", "prod", { minAvailable: 4, adjusted: false }, range)).toEqual({
            ruleId: "capacity/pdb-below-min",
            severity: "mandatory",
            resource: "assignment-service/api",
            message: "prod: PDB minAvailable 4 ≥ min replicas 4: no voluntary disruption is possible",
        });
        expect(pdbBelowMinFinding("assignment-service/api", "prod", { minAvailable: 3, adjusted: false }, range)).toBeUndefined();
        expect(pdbBelowMinFinding("assignment-service/api", "prod", undefined, range)).toBeUndefined();
    });

    it("capacity/pdb-below-min: every role × environment whose budget breaks the rule is reported, once", () => {
        // A budget source that ignores the ceiling (minAvailable = min): assignment-service's api
        // (staging 3, prod 4), worker (2, 3) and scheduler (2, 2) break it; dev (min 1) and
        // ai-suggest (min 1) have no budget (seeds/000 §5 ranges).
        const atMin = (_role: unknown, r: { min: number; max: number }) => (r.min > 1 ? { minAvailable: r.min, adjusted: false } : undefined);
        const f = disruptionFindings([assignmentService], resolveReplicas([assignmentService], "prod"), "prod", atMin);
        expect(f.map((x) => [x.ruleId, x.severity, x.resource, x.message.split(":")[0]])).toEqual([
            ["capacity/pdb-below-min", "mandatory", "assignment-service/api", "staging"],
            ["capacity/pdb-below-min", "mandatory", "assignment-service/api", "prod"],
            ["capacity/pdb-below-min", "mandatory", "assignment-service/worker", "staging"],
            ["capacity/pdb-below-min", "mandatory", "assignment-service/worker", "prod"],
            ["capacity/pdb-below-min", "mandatory", "assignment-service/scheduler", "staging"],
            ["capacity/pdb-below-min", "mandatory", "assignment-service/scheduler", "prod"],
        ]);
        // The budgets the workloads get keep to the rule: the same check finds nothing.
        expect(disruptionFindings([assignmentService], resolveReplicas([assignmentService], "prod"), "prod")).toEqual([]);
    });

    it("keeps the document's 2 and 1 in prod and staging, and no budget over a single pod", () => {
        const [api, worker, scheduler] = assignmentService.roles;
        expect(disruptionBudget(api, { min: 4, max: 24 })).toEqual({ minAvailable: 2, documented: 2, adjusted: false });
        expect(disruptionBudget(worker, { min: 3, max: 12 })?.minAvailable).toBe(1);
        expect(disruptionBudget(scheduler, { min: 2, max: 2 })?.minAvailable).toBe(1);
        expect(disruptionBudget(api, { min: 1, max: 2 })).toBeUndefined();
        // A documented value at or above the minimum is lowered to min − 1, never to a zero-disruption budget.
        expect(disruptionBudget({ ...api, pdbMinAvailable: 5 }, { min: 4, max: 8 })).toEqual({ minAvailable: 3, documented: 5, adjusted: true });
        // Undocumented: min − 1.
        expect(disruptionBudget(progressService.roles[1], { min: 5, max: 100 })?.minAvailable).toBe(4);
    });

    it("reports the dev adjustment of the document's budgets as info, and nothing mandatory", () => {
        const ctx = ctxOf("dev");
        const f = disruptionFindings(ctx.catalog, ctx.replicas, "dev");
        expect(f.map((x) => [x.ruleId, x.severity, x.resource])).toEqual([
            ["adjust/pdb-min-available", "info", "assignment-service/api"],
            ["adjust/pdb-min-available", "info", "assignment-service/worker"],
        ]);
        expect(disruptionFindings(ctxOf("prod-us").catalog, ctxOf("prod-us").replicas, "prod")).toEqual([]);
    });

    it("a documented budget at the minimum is lowered to min − 1 and reported as an adjustment", () => {
        const card: K8sServiceCard = { ...assignmentService, roles: [{ ...assignmentService.roles[0], pdbMinAvailable: 2 }] };
        const replicas = { "assignment-service/api": { min: 2, max: 4 } };
        // disruptionBudget lowers it (2 → 1), so the finding is the info adjustment, never a zero-disruption PDB.
        const f = disruptionFindings([card], replicas, "prod");
        expect(f.map((x) => [x.ruleId, x.severity])).toEqual([["adjust/pdb-min-available", "info"]]);
        expect(f[0].message).toBe("prod: the document's PDB minAvailable 2 is not below the minimum of 2 replicas; minAvailable 1 keeps one voluntary disruption possible");
    });
});

it("no stack has a mandatory workload capacity finding", () => {
    for (const stack of ["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"]) {
        expect(workloadCapacityFindings(ctxOf(stack)).filter((f) => f.severity === "mandatory")).toEqual([]);
    }
});
