import { gcpCapacityFindings, natPortsPerIp, pgbouncerClientFinding, pgbouncerServerFinding, pgbouncerVmFinding } from "../../capacity/gcp";
import { GcpProfile, gcpProfiles } from "../../data/profiles/gcp";
import { Finding } from "../../data/findings";
import { catalog } from "../../data/catalog";
import { notificationService } from "../../data/catalog/notification";
import { CloudRunServiceCard, TopologyCard } from "../../data/catalog/types";
import { readStackFile } from "../../plan/engine";
import { parseStackConfig } from "../../data/config";
import { deployContext } from "../../data/context";
import { catalogRequirements } from "../../data/config";

/** seed 001 §7 targets and the adjustments, computed from the catalog and the GCP profiles. */

function findingsFor(stack: string, opts: { cards?: readonly TopologyCard[]; edit?: (raw: Record<string, unknown>) => void } = {}): Finding[] {
    const cards = opts.cards ?? catalog;
    const raw = readStackFile(stack);
    opts.edit?.(raw);
    return gcpCapacityFindings(deployContext(parseStackConfig(stack, raw, catalogRequirements(cards)), cards));
}

const only = (fs: Finding[], ruleId: string): Finding[] => fs.filter((f) => f.ruleId === ruleId);
const single = (fs: Finding[], ruleId: string): Finding => {
    const hits = only(fs, ruleId);
    expect(hits).toHaveLength(1);
    return hits[0];
};

/** The notification card with some roles changed. */
function withRoles(change: (role: CloudRunServiceCard["roles"][number]) => CloudRunServiceCard["roles"][number]): TopologyCard[] {
    const card: CloudRunServiceCard = { ...notificationService, roles: notificationService.roles.map(change) };
    return catalog.map((c) => (c.service === card.service ? card : c));
}

describe("PgBouncer's 800 client connections", () => {
    it("holds in prod with one connection per instance: 664 of 800 (max_client_conn 400 × 2 VMs), margin 136", () => {
        const f = single(findingsFor("prod-eu"), "capacity/gcp-pgbouncer-clients");
        expect(f.severity).toBe("info");
        expect(f.message).toContain("max_client_conn 400 × 2 VM(s) = 800 (document: 800)");
        // The document's 13 services take 654; the peers' entry (issue 15, prod max 10) adds 10.
        expect(f.message).toContain("connection demand 664 of budget 800 (margin 136)");
        expect(f.message).toContain("notification-service/api 200");
        expect(f.message).toContain("notification-service/api-internal 10");
        // Tight: a second connection on the API alone breaks it.
        expect(f.message).toContain("adds 200 (→ 864)");
    });
    it("fails, naming the excess, when a stack raises the API's max instances to 400", () => {
        const fs = findingsFor("prod-eu", { edit: (raw) => (raw.replicaOverrides = { "notification-service/api": { min: 3, max: 400 } }) });
        const f = single(fs, "capacity/gcp-pgbouncer-clients");
        expect(f.severity).toBe("mandatory");
        expect(f.message).toContain("connection demand 864 exceeds the budget 800 by 64");
    });
    it("checks the server pool against max_connections at its peak, a rolling replace: prod (2 + 2) × 135 = 540 of 550", () => {
        // ours (README departures): 135 server connections per VM; 600 − 50 reserved is the prod Cloud SQL tier's budget.
        const f = single(findingsFor("prod-us"), "capacity/gcp-pgbouncer-server");
        expect(f).toMatchObject({ severity: "info", resource: "notification-pgbouncer" });
        expect(f.message).toContain("server pool 2 × 135 = 270, during a rolling replace (2 + 2 surge) × 135 = 540, vs db-custom-8-32768 max_connections 600 − 50 reserved = 550 (margin 10)");
        expect(single(findingsFor("dev"), "capacity/gcp-pgbouncer-server").message).toContain("(1 + 1 surge) × 100 = 200, vs db-custom-2-8192 max_connections 400");
    });
    it("fails the server pool when the surge VMs of a rolling replace would open more than max_connections leaves", () => {
        // Three zones: the regional group surges three VMs, (2 + 3) × 135 = 675 against 600 − 50 = 550.
        const wide: GcpProfile = { ...gcpProfiles.prod, pgbouncer: { ...gcpProfiles.prod.pgbouncer, zones: 3 } };
        expect(pgbouncerServerFinding(notificationService, wide)).toEqual({
            ruleId: "capacity/gcp-pgbouncer-server",
            severity: "mandatory",
            resource: "notification-pgbouncer",
            message: "server pool 2 × 135 = 270, during a rolling replace (2 + 3 surge) × 135 = 675, vs db-custom-8-32768 max_connections 600 − 50 reserved = 550 (margin -125)",
        });
    });
});

describe("PgBouncer VMs", () => {
    const ctxOf = (stack: string) => deployContext(parseStackConfig(stack, readStackFile(stack), catalogRequirements(catalog)), catalog);
    it("fails when the client limit does not split evenly and the VMs accept fewer than the document's 800", () => {
        const three = { ...gcpProfiles.prod, pgbouncer: { ...gcpProfiles.prod.pgbouncer, instances: 3 } };
        const f = pgbouncerClientFinding(ctxOf("prod-eu"), notificationService, three);
        expect(f.severity).toBe("mandatory");
        expect(f.message).toContain("max_client_conn 266 × 3 VM(s) = 798 (document: 800, not reached)");
        expect(pgbouncerClientFinding(ctxOf("prod-eu"), notificationService, gcpProfiles.prod).severity).toBe("info");
    });
    it("fits each VM's sockets (clients + server pool) in its open-file limit, once per active region", () => {
        const fs = pgbouncerVmFinding(ctxOf("prod-us"), notificationService, gcpProfiles.prod);
        expect(fs.map((f) => [f.resource, f.severity])).toEqual([["notification-pgbouncer-us-east4", "info"]]);
        expect(fs[0].message).toContain("max_client_conn 400 + default_pool_size 135 + 32 = 567 descriptors vs nofile 4096");
        const tight = { ...gcpProfiles.prod, pgbouncer: { ...gcpProfiles.prod.pgbouncer, fileDescriptorLimit: 512 } };
        const bad = pgbouncerVmFinding(ctxOf("prod-us"), notificationService, tight);
        expect(bad.map((f) => f.severity)).toEqual(["mandatory"]);
        expect(bad[0].message).toContain("(margin -55)");
    });
});

describe("API burst and WebSockets (prod only)", () => {
    it("meets 100 000 WebSockets with 200 × 600 and reports the margin", () => {
        const f = single(findingsFor("prod-eu"), "capacity/gcp-websockets");
        expect(f.severity).toBe("info");
        expect(f.message).toContain("200 instances × 600 per instance = 120000 (margin 20000, 20%");
    });
    it("fails WebSockets at the document's concurrency of 80", () => {
        const cards = withRoles((r) => (r.name === "api" ? { ...r, concurrency: 80 } : r));
        const f = single(findingsFor("prod-eu", { cards }), "capacity/gcp-websockets");
        expect(f.severity).toBe("mandatory");
        expect(f.message).toContain("= 16000 (margin -84000");
        // The adjustment finding disappears when the document's value is used.
        expect(only(findingsFor("prod-eu", { cards }), "adjust/api-concurrency")).toEqual([]);
    });
    it("meets the 5 000 rps burst with the slots WebSockets leave, and fails when they leave too few", () => {
        const ok = single(findingsFor("prod-eu"), "capacity/gcp-api-burst");
        expect(ok.severity).toBe("info");
        expect(ok.message).toContain("20000 left after 100000 WebSockets → 80000 rps");
        const cards = withRoles((r) => (r.name === "api" ? { ...r, concurrency: 503 } : r));
        const tight = single(findingsFor("prod-eu", { cards }), "capacity/gcp-api-burst");
        expect(tight.severity).toBe("mandatory");
        expect(tight.message).toContain("600 left after 100000 WebSockets → 2400 rps (margin -2600");
    });
    it("does not hold dev and staging to the prod targets", () => {
        for (const stack of ["dev", "staging"]) {
            const fs = findingsFor(stack);
            expect(only(fs, "capacity/gcp-api-burst")).toEqual([]);
            expect(only(fs, "capacity/gcp-websockets")).toEqual([]);
        }
    });
});

describe("Cloud NAT ports", () => {
    it("one reserved IP per region is enough in prod: 10 VMs × 2048 ports of 64 512", () => {
        const fs = only(findingsFor("prod-eu"), "capacity/gcp-nat-ports");
        expect(fs.map((f) => f.resource)).toEqual(["melmastoon-nat-europe-west1", "melmastoon-nat-europe-west4"]);
        expect(fs[0].severity).toBe("info");
        expect(fs[0].message).toContain("vendor connections 14200 over 10 connector VMs = 1420 per VM vs 2048 ports per VM");
        // Active region: 10 connector VMs + 2 PgBouncer VMs + a 2-VM rollout surge; the DR region has connector VMs only.
        expect(fs[0].message).toContain(`(10 connector + 4 PgBouncer VMs) × 2048 = 28672 ports vs 1 IP(s) × ${natPortsPerIp} = ${natPortsPerIp} (margin 35840); IPs needed per region: 1`);
        expect(fs[1].message).toContain(`(10 connector + 0 PgBouncer VMs) × 2048 = 20480 ports vs 1 IP(s) × ${natPortsPerIp} = ${natPortsPerIp} (margin 44032)`);
    });
    it("fails and names the IP count when vendor-bound concurrency outgrows the ports", () => {
        const cards = withRoles((r) => (r.vendorEgress ? { ...r, concurrency: 500 } : r));
        const f = only(findingsFor("prod-eu", { cards }), "capacity/gcp-nat-ports")[0];
        expect(f.severity).toBe("mandatory");
        expect(f.message).toContain("vendor connections 142000 over 10 connector VMs = 14200 per VM");
        expect(f.message).toContain("IPs needed per region: 3");
    });
});

describe("adjustments (info findings for the README)", () => {
    it("shortens connector names to 25 characters", () => {
        const f = only(findingsFor("dev"), "adjust/vpc-connector-name");
        expect(f).toEqual([
            {
                ruleId: "adjust/vpc-connector-name",
                severity: "info",
                resource: "notif-conn-asia-south1",
                message: '"notification-vpc-connector-asia-south1" is 38 characters; connector names allow 25: using "notif-conn-asia-south1"',
            },
        ]);
    });
    it("reports Redis sizes Memorystore cannot provide", () => {
        expect(single(findingsFor("dev"), "adjust/redis-memory").message).toContain("256 MB asked; Memorystore's minimum is 1 GB: 1 GB BASIC");
        expect(single(findingsFor("staging"), "adjust/redis-read-replicas").message).toContain("read replicas need ≥ 5 GB");
        expect(only(findingsFor("prod-eu"), "adjust/redis-memory")).toEqual([]);
    });
    it("reports the residency suffix on prod bucket names and the missing ME dual-region", () => {
        expect(single(findingsFor("prod-us"), "adjust/bucket-name").resource).toBe("melmastoon-notifications-prod-us");
        expect(only(findingsFor("staging"), "adjust/bucket-name")).toEqual([]);
        expect(single(findingsFor("prod-me"), "adjust/bucket-dual-region").message).toContain("me-central1 + me-central2 is not one");
        expect(only(findingsFor("prod-eu"), "adjust/bucket-dual-region")).toEqual([]);
    });
    it("reports the half-hour maintenance window of asia-south1 and the readiness probes the GA services leave out", () => {
        expect(single(findingsFor("dev"), "adjust/maintenance-window").message).toContain("day 6 21:00 UTC");
        expect(only(findingsFor("prod-eu"), "adjust/maintenance-window")).toEqual([]);
        const readiness = single(findingsFor("prod-eu"), "adjust/cloud-run-readiness");
        expect(readiness.severity).toBe("info");
        expect(readiness.message).toContain("/api/v1/internal/health?ready=true");
        expect(readiness.message).toContain("Preview");
        // PgBouncer is no longer on Cloud Run: the transport caveat is gone.
        expect(only(findingsFor("prod-eu"), "adjust/pgbouncer-on-cloud-run")).toEqual([]);
    });
    it("emits no mandatory finding for any stack as configured", () => {
        for (const stack of ["dev", "staging", "prod-us", "prod-eu", "prod-me", "prod-ap"]) {
            expect({ stack, mandatory: findingsFor(stack).filter((f) => f.severity === "mandatory") }).toEqual({ stack, mandatory: [] });
        }
    });
});
