import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { listStacks } from "../../plan/engine";
import { PlannedStack } from "../../plan/plan";
import { buildReviewPack, writeStacksOverview } from "../../plan/review/pack";
import { planOf } from "../harness";

/**
 * The review pack built from the stacks' plans: the cards carry what the plan registered (numbers
 * checked against the documents), the decision records have §28's sections, the diagram names
 * every placement, and `npm run plan` wrote the files.
 */

type Card = {
    service: string;
    namespace: string;
    deployed: { region: string; roles: { role: string; runtime: Record<string, unknown>; container: Record<string, unknown>; exposure: string; serviceAccount: string }[] }[];
    security: { identity: string[]; meshMtls: string };
};

async function prodUs(): Promise<PlannedStack> {
    const planned = await planOf("prod-us");
    expect(planned.run.error).toBeNull();
    return planned;
}

function cardOf(planned: PlannedStack, service: string): Card {
    const yaml = buildReviewPack(planned).cards.find((c) => c.service === service)?.yaml;
    if (!yaml) {
        throw new Error(`no card for ${service}`);
    }
    return YAML.parse(yaml) as Card;
}

function role(card: Card, region: string, name: string) {
    const r = card.deployed.find((d) => d.region === region)?.roles.find((x) => x.role === name);
    if (!r) {
        throw new Error(`no ${name} in ${region}`);
    }
    return r;
}

describe("the topology card as deployed", () => {
    test("assignment-service in prod-us: namespace, replicas, PDB and exposure as seed 000 §1–§2 give them, in both regions", async () => {
        const card = cardOf(await prodUs(), "assignment-service");
        // seed 000 §2: namespace assignment.
        expect(card.namespace).toBe("assignment");
        // seed 000 §4: prod-us is us-east-1 + us-west-2, active/active.
        expect(card.deployed.map((d) => d.region).sort()).toEqual(["us-east-1", "us-west-2"]);
        for (const region of ["us-east-1", "us-west-2"]) {
            // seed 000 §1: api 4–24, worker 3–12, scheduler 2 (leader-elected), ai-suggest 1–4 in prod.
            expect(role(card, region, "api").runtime).toMatchObject({ minReplicas: 4, maxReplicas: 24, type: "Deployment" });
            expect(role(card, region, "worker").runtime).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
            expect(role(card, region, "scheduler").runtime).toMatchObject({ minReplicas: 2, maxReplicas: 2, type: "StatefulSet" });
            expect(role(card, region, "ai-suggest").runtime).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
            // seed 000 §2: PodDisruptionBudget/assignment-api minAvailable=2, assignment-worker minAvailable=1.
            expect(role(card, region, "api").runtime.pdbMinAvailable).toBe(2);
            expect(role(card, region, "worker").runtime.pdbMinAvailable).toBe(1);
            // seed 000 §2: Service/assignment-api (ClusterIP, exposed via ingress gateway).
            // The api's Service and route are written by its Flagger Canary (issue 12: seed 000 §8's canary).
            expect(role(card, region, "api").exposure).toMatch(/^edge via Gateway gateway\/edge .* → ClusterIP assignment-api \(Flagger canary\)$/);
            // seed 000 §5: api 500m / 512Mi, limit 1 Gi.
            expect(role(card, region, "api").container).toEqual({ imagePolicy: "digest-only", cpuRequest: "500m", memoryRequest: "512Mi", memoryLimit: "1Gi" });
        }
        expect(card.security.meshMtls).toMatch(/^STRICT/);
        expect(card.security.identity.some((i) => /us-east-1: ServiceAccount assignment\/assignment-service → IAM role arn:aws:iam::\d+:role\/us-east-1-assignment-service-role/.test(i))).toBe(true);
    });

    test("the card reads the registered ScaledObject, not the catalog card: a changed maxReplicaCount shows", async () => {
        const planned = await prodUs();
        const changed: PlannedStack = {
            ...planned,
            run: {
                ...planned.run,
                resources: planned.run.resources.map((r) =>
                    r.name === "assignment-service-us-east-1-api-scaler" ? { ...r, inputs: { ...(r.inputs as object), spec: { ...((r.inputs as { spec: object }).spec), maxReplicaCount: 17 } } } : r,
                ),
            },
        };
        expect(role(cardOf(changed, "assignment-service"), "us-east-1", "api").runtime.maxReplicas).toBe(17);
        expect(role(cardOf(changed, "assignment-service"), "us-west-2", "api").runtime.maxReplicas).toBe(24);
    });

    test("node pools as registered: api on core, async roles on worker (seed 004 §12, §27.3)", async () => {
        const card = cardOf(await prodUs(), "assignment-service");
        expect(role(card, "us-east-1", "api").runtime.nodePool).toBe("core");
        expect(["worker", "scheduler", "ai-suggest"].map((r) => role(card, "us-east-1", r).runtime.nodePool)).toEqual(["worker", "worker", "worker"]);
    });

    test("notification-service's card: Cloud Run services per region with their registered instance bounds and service accounts", async () => {
        const card = cardOf(await prodUs(), "notification-service");
        expect(card.deployed.length).toBeGreaterThan(0);
        // seed 001 §3's 13 Cloud Run services, plus api-internal: the IAM-checked entry for peer calls (issue 15).
        expect(card.deployed[0].roles).toHaveLength(14);
        for (const r of card.deployed[0].roles) {
            expect(r.runtime.type).toBe("Cloud Run service");
            expect(r.serviceAccount).toMatch(/@.*\.iam\.gserviceaccount\.com$/);
        }
    });
});

describe("decision records, diagram, checklist", () => {
    test("every deployed service has a §28 decision record with its five sections", async () => {
        const pack = buildReviewPack(await prodUs());
        expect(pack.cards.map((c) => c.service).sort()).toEqual(["assignment-service", "authoring-service", "notification-service", "progress-service"]);
        for (const c of pack.cards) {
            expect(c.decision.match(/^## .*$/gm)).toEqual(["## Context", "## Decision", "## Capacity constraints", "## Failure policy", "## Consequences"]);
        }
        // seed 000 §1 (api 4–24) and the card's 10 connections per api pod: 240 per region at the maximum.
        expect(pack.cards.find((c) => c.service === "assignment-service")?.decision).toContain("- api: DB pool per pod 10, max replicas 24 → up to 240 connections per region");
    });

    test("the diagram has a node per service and region, the namespaces, the stores and the graph's edges", async () => {
        const planned = await prodUs();
        const { diagram } = buildReviewPack(planned);
        expect(diagram.startsWith("flowchart LR\n")).toBe(true);
        for (const id of ["svc_assignment_service_us_east_1", "svc_assignment_service_us_west_2", "svc_notification_service_us_east4"]) {
            expect(diagram).toMatch(new RegExp(`^\\s+${id}\\[`, "m"));
        }
        expect(diagram).toContain('subgraph ns_us_east_1_eks_k8s_assignment["namespace assignment"]');
        expect(diagram).toContain("svc_assignment_service_us_east_1 -->|\"postgres/TLS\"| db_assignment_service_us_east_1");
        // The cross-cloud edge (seed 000 §6: assignment → notification-service) lands on the GCP node.
        expect(diagram).toContain("svc_assignment_service_us_east_1 -->|\"https\"| svc_notification_service_us_east4");
        const edges = diagram.split("\n").filter((l) => /-->|-\.->/.test(l));
        expect(edges).toHaveLength(planned.graph.length);
    });

    test("the checklist has all 28 items of §26 with evidence for every automated verdict", async () => {
        const { checklist } = buildReviewPack(await prodUs());
        expect(checklist).toHaveLength(28);
        for (const i of checklist.filter((x) => x.status === "pass" || x.status === "fail")) {
            expect(i.evidence.length).toBeGreaterThan(0);
        }
        // seed 004 §26.3: the ServiceWorkload component spreads zones, sets PDBs and probes.
        expect(checklist.filter((i) => ["26.3.1", "26.3.2", "26.3.3", "26.3.4"].includes(i.id)).map((i) => i.status)).toEqual(["pass", "pass", "pass", "pass"]);
    });
});

describe("npm run plan writes the pack", () => {
    test.each(listStacks())("%s: review/ has index.html, the cards, decision records, checklist and diagram source", async (stack) => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        const dir = path.join(process.env.PLAN_CACHE_DIR ?? "", stack, "review");
        for (const f of ["index.html", "checklist.md", "checklist.json", "diagram.mmd", "summary.json"]) {
            expect(fs.existsSync(path.join(dir, f))).toBe(true);
        }
        const services = buildReviewPack(planned).cards.map((c) => c.service);
        expect(services.length).toBeGreaterThan(0);
        expect(fs.readdirSync(path.join(dir, "cards")).sort()).toEqual(services.map((s) => `${s}.yaml`).sort());
        expect(fs.readdirSync(path.join(dir, "decisions")).sort()).toEqual(services.map((s) => `${s}.md`).sort());
    });
});

describe("out/review/stacks.md", () => {
    test("a column per stack; replicas per role as registered (seed 000 §1: assignment api 4–24 in prod, both prod-us regions)", async () => {
        const dir = process.env.PLAN_CACHE_DIR ?? "";
        for (const s of listStacks()) {
            expect((await planOf(s)).run.error).toBeNull();
        }
        const written = writeStacksOverview(dir, listStacks());
        const md = fs.readFileSync(path.join(written, "stacks.md"), "utf8");
        const header = md.split("\n").find((l) => l.startsWith("| | "));
        expect(header).toBe(`| | ${listStacks().join(" | ")} |`);
        const row = md.split("\n").find((l) => l.startsWith("| assignment-service/api |"));
        const cells = (row ?? "").split("|").slice(1, -1).map((c) => c.trim());
        expect(cells[listStacks().indexOf("prod-us") + 1]).toBe("us-east-1 4–24; us-west-2 4–24");
        // seed 001 §9: a monthly budget guards the GCP side; its amount is the plan's.
        expect(md).toMatch(/^\| costs \| .*GCP monthly budget \d+ USD/m);
        expect(fs.readFileSync(path.join(written, "index.html"), "utf8")).toContain('<a href="../prod-us/review/index.html">prod-us</a>');
    });
});
