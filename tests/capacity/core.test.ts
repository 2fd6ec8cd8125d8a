import { connectionBudget, connectionBudgetFinding } from "../../capacity/db-budget";
import { allocatable, instanceShapes } from "../../capacity/instances";
import { nodesNeeded, poolFit, poolFitFinding } from "../../capacity/node-pools";
import { nodeOverhead } from "../../capacity/aws";
import { awsProfiles } from "../../data/profiles/aws";
import { cpuMillis, memoryMiB } from "../../capacity/quantities";

describe("quantities", () => {
    it("parses CPU and memory the way Kubernetes writes them", () => {
        expect(cpuMillis("500m")).toBe(500);
        expect(cpuMillis("2")).toBe(2000);
        expect(cpuMillis("1.5")).toBe(1500);
        expect(memoryMiB("512Mi")).toBe(512);
        expect(memoryMiB("1.5Gi")).toBe(1536);
        expect(() => cpuMillis("two")).toThrow(/not a CPU quantity/);
        expect(() => memoryMiB("1GB")).toThrow(/not a memory quantity/);
    });
});

describe("database connection budget (case study §15)", () => {
    it("rejects the worked example: 339 connections against a budget of 300, naming every client", () => {
        const result = connectionBudget({
            database: "case-db",
            maxConnections: 300,
            reserved: 0,
            clients: [
                { name: "case-service", maxReplicas: 12, poolPerReplica: 12 },
                { name: "decision-service", maxReplicas: 10, poolPerReplica: 10 },
                { name: "workflow-workers", maxReplicas: 15, poolPerReplica: 3 },
                { name: "projection-workers", maxReplicas: 10, poolPerReplica: 5 },
            ],
        });
        expect(result.demand).toBe(339);
        expect(result.fits).toBe(false);
        expect(result.margin).toBe(-39);
        const f = connectionBudgetFinding(result);
        expect(f.severity).toBe("mandatory");
        expect(f.message).toBe(
            "connection demand 339 exceeds the budget 300 by 39: case-service 144 (42.5%), decision-service 100 (29.5%), projection-workers 50 (14.7%), workflow-workers 45 (13.3%)",
        );
    });

    it("the naive pools of §15 (710) are worse still; a reserve counts against the ceiling", () => {
        const naive = connectionBudget({
            database: "case-db",
            maxConnections: 300,
            reserved: 0,
            clients: [
                { name: "case", maxReplicas: 12, poolPerReplica: 30 },
                { name: "decision", maxReplicas: 10, poolPerReplica: 20 },
                { name: "workflow", maxReplicas: 15, poolPerReplica: 10 },
            ],
        });
        expect(naive.demand).toBe(710);
        const fitting = connectionBudget({ database: "d", maxConnections: 360, reserved: 20, clients: [{ name: "a", maxReplicas: 10, poolPerReplica: 34 }] });
        expect(fitting).toMatchObject({ demand: 340, budget: 340, fits: true, margin: 0 });
        expect(connectionBudgetFinding(fitting).severity).toBe("info");
    });
});

describe("node pools", () => {
    it("allocatable follows the EKS kubelet reservations and the DaemonSet overhead", () => {
        // m7i.xlarge: 4000m − (60 + 10 + 10 + 0) − 250 = 3670m; 16384 − (255 + 1210 + 100) − 400 = 14419 MiB.
        expect(allocatable(instanceShapes["m7i.xlarge"])).toEqual({ cpuMillis: 3670, memoryMiB: 14419 });
    });

    it("reports headroom when the pool holds its workloads at max replicas, and a mandatory finding when not", () => {
        const shape = instanceShapes["m7i.xlarge"];
        const workloads = [{ name: "api", maxReplicas: 24, cpuMillis: 500, memoryMiB: 512 }];
        const ok = poolFit({ pool: "core@us-east-1", instanceType: "m7i.xlarge", shape, maxNodes: 4, workloads });
        expect(ok.fits).toBe(true);
        expect(ok.requiredCpuMillis).toBe(12000);
        expect(poolFitFinding(ok).severity).toBe("info");
        const tight = poolFit({ pool: "core@us-east-1", instanceType: "m7i.xlarge", shape, maxNodes: 3, workloads });
        expect(tight.fits).toBe(false);
        expect(poolFitFinding(tight)).toMatchObject({ severity: "mandatory", resource: "core@us-east-1" });
        expect(nodesNeeded(shape, workloads, 0)).toBe(4);
        expect(nodesNeeded(shape, workloads, 0.2)).toBe(5);
    });

    it("every node first gives the mesh DaemonSets (ztunnel 200m / 512Mi + istio-cni 100m / 100Mi) their requests", () => {
        const shape = instanceShapes["m7i.xlarge"];
        const overhead = nodeOverhead(awsProfiles.prod);
        expect(overhead).toEqual({ cpuMillis: 300, memoryMiB: 612 });
        // 28 × 500m = 14000m: 4 × 3670m = 14680m holds it; 4 × (3670 − 300)m = 13480m does not.
        const workloads = [{ name: "api", maxReplicas: 28, cpuMillis: 500, memoryMiB: 512 }];
        expect(poolFit({ pool: "core@us-east-1", instanceType: "m7i.xlarge", shape, maxNodes: 4, workloads }).fits).toBe(true);
        const meshed = poolFit({ pool: "core@us-east-1", instanceType: "m7i.xlarge", shape, maxNodes: 4, workloads, perNode: overhead });
        expect(meshed).toMatchObject({ fits: false, capacityCpuMillis: 13480, capacityMemoryMiB: 4 * (14419 - 612) });
        expect(nodesNeeded(shape, workloads, 0)).toBe(4);
        expect(nodesNeeded(shape, workloads, 0, overhead)).toBe(5);
    });
});
