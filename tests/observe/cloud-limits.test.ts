import { runPolicies } from "../../plan/policy-runner";
import { cloudLimitPolicies } from "../../policy/rules/cloud-limits";
import { fixture } from "../harness";

/**
 * Cloud limits of the types issue 13 adds (policy/cloud-limits): each fails on a value the API
 * refuses and passes on one it takes. The limits are the APIs' documented ones.
 */

async function messages(type: string, props: Record<string, unknown>): Promise<string[]> {
    return (await runPolicies(cloudLimitPolicies, [fixture(type, props)])).map((f) => f.message);
}

describe("Cloud Monitoring", () => {
    it("SLO goal is a fraction in (0, 1), rolling period 1–30 days", async () => {
        expect(await messages("gcp:monitoring/slo:Slo", { sloId: "api-availability", goal: 0.999, rollingPeriodDays: 30 })).toEqual([]);
        const bad = await messages("gcp:monitoring/slo:Slo", { sloId: "api-availability", goal: 1, rollingPeriodDays: 31 });
        expect(bad).toHaveLength(2);
        expect(bad.join(" ")).toContain("(0, 1)");
    });

    it("service ids are lowercase letters, digits and '-'", async () => {
        expect(await messages("gcp:monitoring/genericService:GenericService", { serviceId: "notification-api-us-east4", basicService: { serviceType: "CLOUD_RUN" } })).toEqual([]);
        expect(await messages("gcp:monitoring/genericService:GenericService", { serviceId: "Notification_API", basicService: { serviceType: "CLOUD_RUN" } })).toHaveLength(1);
    });

    it("an alert policy has 1 to 6 conditions and a known combiner", async () => {
        const cond = { displayName: "c", conditionThreshold: { comparison: "COMPARISON_GT", duration: "0s" } };
        expect(await messages("gcp:monitoring/alertPolicy:AlertPolicy", { combiner: "AND", conditions: [cond, cond], severity: "CRITICAL" })).toEqual([]);
        expect(await messages("gcp:monitoring/alertPolicy:AlertPolicy", { combiner: "BOTH", conditions: Array(7).fill(cond) })).toHaveLength(2);
    });

    it("a dashboard is valid JSON with a display name", async () => {
        expect(await messages("gcp:monitoring/dashboard:Dashboard", { dashboardJson: JSON.stringify({ displayName: "x", mosaicLayout: { columns: 12, tiles: [] } }) })).toEqual([]);
        expect(await messages("gcp:monitoring/dashboard:Dashboard", { dashboardJson: "{" })).toHaveLength(1);
    });
});

describe("PrometheusRule", () => {
    it("recording rule names are metric names; `for` is a Prometheus duration", async () => {
        const rule = (record: string, forDuration: string) => ({
            metadata: { name: "assignment-slo", namespace: "assignment" },
            spec: { groups: [{ name: "g", rules: [{ record, expr: "1" }, { alert: "A", expr: "1", for: forDuration }] }] },
        });
        expect(await messages("kubernetes:monitoring.coreos.com/v1:PrometheusRule", rule("namespace_component:http_server_errors:ratio_rate5m", "2m"))).toEqual([]);
        expect(await messages("kubernetes:monitoring.coreos.com/v1:PrometheusRule", rule("http-errors ratio", "2 minutes"))).toHaveLength(2);
    });
});
