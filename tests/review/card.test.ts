import YAML from "yaml";
import { renderCard, renderDecisionRecord } from "../../plan/review/card";
import { nodeId, renderDiagram } from "../../plan/review/diagram";
import { placementsOf } from "../../plan/review/model";
import { reviewInput, shopCard, without } from "./fixtures";

/** The card, decision record and diagram over the fixture plan: every deployed field comes from a registered resource. */

type Card = { namespace: string; deployed: { region: string; roles: { role: string; runtime: Record<string, unknown>; exposure: string }[] }[]; observability: { dashboards: string[]; alertsRegistered: string[] } };

describe("card over a fixture plan", () => {
    test("replicas, node pool, exposure, dashboards and alerts are the registered ones", () => {
        const input = reviewInput();
        const card = YAML.parse(renderCard(shopCard, placementsOf(input.index, shopCard))) as Card;
        expect(card.namespace).toBe("shop");
        expect(card.deployed.map((d) => d.region)).toEqual(["us-east-1"]);
        const api = card.deployed[0].roles.find((r) => r.role === "api");
        // The fixture's ScaledObject says 3–10; the catalog card it was copied from says 4–24 in prod.
        expect(api?.runtime).toMatchObject({ minReplicas: 3, maxReplicas: 10, nodePool: "core", pdbMinAvailable: 2 });
        expect(api?.exposure).toBe("edge via Gateway gateway/edge /api/shop → ClusterIP shop-api");
        expect(card.deployed[0].roles.find((r) => r.role === "worker")?.exposure).toBe("none (no Service)");
        expect(card.observability.dashboards).toEqual(["ConfigMap monitoring/shop-service-dashboard"]);
        expect(card.observability.alertsRegistered).toEqual(["ShopErrorBudgetBurn"]);
    });

    test("without the dashboard and the rules, the card says none registered", () => {
        const input = reviewInput({ resources: (rs) => without("shop-rules")(without("shop-dashboard")(rs)) });
        const card = YAML.parse(renderCard(shopCard, placementsOf(input.index, shopCard))) as Card;
        expect(card.observability.dashboards).toEqual(["none registered"]);
        expect(card.observability.alertsRegistered).toEqual(["none registered"]);
    });

    test("the decision record's capacity constraints multiply the registered maximum by the card's pool per pod", () => {
        const input = reviewInput();
        const record = renderDecisionRecord("fixture", shopCard, placementsOf(input.index, shopCard));
        // assignment's card (the fixture's base) gives the api 10 connections per pod; the fixture registers max 10.
        expect(record).toContain("- api: DB pool per pod 10, max replicas 10 → up to 100 connections per region");
    });
});

describe("diagram over a fixture plan", () => {
    test("Mermaid ids are letters, digits and underscores", () => {
        expect(nodeId("svc", "shop-service", "us-east-1")).toBe("svc_shop_service_us_east_1");
    });

    test("the namespace holds the service node; the otlp edge goes to the region's collector", () => {
        const input = reviewInput();
        const diagram = renderDiagram("fixture", placementsOf(input.index, shopCard), input.graph);
        expect(diagram).toContain('subgraph ns_us_east_1_eks_k8s_shop["namespace shop"]');
        expect(diagram).toContain('svc_shop_service_us_east_1["shop-service<br/>api 3-10 · worker 2-6"]');
        expect(diagram).toContain('svc_shop_service_us_east_1 -->|"otlp/grpc"| otel_us_east_1');
    });
});
