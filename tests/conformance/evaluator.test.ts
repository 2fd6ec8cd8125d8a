import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { coveredBy, evaluate, loadChecks, renderConformance, summarize, Subject } from "../../plan/conformance";
import { Manifest } from "../../plan/manifests";
import { allPolicies } from "../../policy/rules";

/**
 * The Polaris conformance runner (`npm run conformance -- <checks dir>`) on a checks folder written
 * here, so `npm test` needs nothing beside the clone. The checks copy the shape of Polaris's own
 * files: a JSON Schema check, a Go-template check, a cross-object check, a check on a kind.
 */

const files: Record<string, string> = {
    "default.yaml": "checks:\n  runAsRootAllowed: danger\n  pullPolicyNotAlways: warning\n  linuxHardening: warning\n  missingNetworkPolicy: warning\n  tlsSettingsMissing: warning\n",
    "runAsRootAllowed.yaml": [
        "target: Container",
        "schemaTarget: PodSpec",
        "schema:",
        "  type: object",
        "  anyOf:",
        "    - properties: { securityContext: { properties: { runAsNonRoot: { const: true } }, required: [runAsNonRoot] } }",
        "      required: [securityContext]",
        "    - properties: { containers: { items: { properties: { securityContext: { properties: { runAsNonRoot: { const: true } }, required: [runAsNonRoot] } }, required: [securityContext] } } }",
    ].join("\n"),
    "pullPolicyNotAlways.yaml": "target: Container\nschema:\n  type: object\n  required: [imagePullPolicy]\n  properties:\n    imagePullPolicy: { const: Always }\n",
    "linuxHardening.yaml": "target: Container\nschemaString: |\n  type: object\n  {{ if .Polaris.PodSpec.securityContext }}{{ end }}\n",
    "missingNetworkPolicy.yaml": "target: PodTemplate\nschema:\n  type: object\nadditionalSchemaStrings:\n  networking.k8s.io/NetworkPolicy: |\n    type: object\n",
    "tlsSettingsMissing.yaml": "target: networking.k8s.io/Ingress\nschema:\n  type: object\n  required: [spec]\n  properties: { spec: { required: [tls] } }\n",
};

let dir: string;
beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "polaris-"));
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function deployment(name: string, container: Record<string, unknown>): Subject {
    const manifest: Manifest = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "x" },
        spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "i@sha256:0", ...container }] } } },
    };
    return { stack: "dev", manifest };
}

const good = deployment("good", { securityContext: { runAsNonRoot: true }, imagePullPolicy: "IfNotPresent" });
const root = deployment("root", { imagePullPolicy: "IfNotPresent" });

describe("npm run conformance", () => {
    it("counts every check of default.yaml: evaluated, passed, failed, and not evaluated with the reason", () => {
        const outcomes = evaluate(loadChecks(dir), [good]);
        expect(summarize(outcomes)).toEqual({ checks: 5, evaluated: 2, passed: 2, failed: 0, notEvaluated: 3 });
        expect(outcomes.map((o) => [o.id, o.status, o.objects])).toEqual([
            ["runAsRootAllowed", "passed", 1],
            ["pullPolicyNotAlways", "passed", 1],
            ["linuxHardening", "not-evaluated", 0],
            ["missingNetworkPolicy", "not-evaluated", 0],
            ["tlsSettingsMissing", "not-evaluated", 0],
        ]);
        expect(outcomes.filter((o) => o.status === "not-evaluated").map((o) => o.reason)).toEqual([
            "its schema is a Go template (schemaString) that Polaris renders per object",
            "it compares objects (additionalSchemaStrings on networking.k8s.io/NetworkPolicy), which needs Polaris's runtime",
            "the plan renders no object it targets (networking.k8s.io/Ingress)",
        ]);
        // The accepted warning is counted as passed, with its reason in the report.
        expect(outcomes[1].failures).toEqual([{ stack: "dev", where: "Deployment/x/good/c", accepted: expect.stringMatching(/^images are digest-pinned/) }]);
    });

    it("fails a check an object fails, naming the object, and the report says so", () => {
        const outcomes = evaluate(loadChecks(dir), [good, root]);
        expect(summarize(outcomes)).toEqual({ checks: 5, evaluated: 2, passed: 1, failed: 1, notEvaluated: 3 });
        expect(outcomes[0]).toMatchObject({ id: "runAsRootAllowed", status: "failed", objects: 2, failures: [{ stack: "dev", where: "Deployment/x/root/c", accepted: undefined }] });
        const report = renderConformance(outcomes, "checks");
        expect(report.split("\n").slice(0, 3)).toEqual([
            "Polaris checks from checks: 5 — evaluated 2 (passed 1, failed 1), could not be evaluated 3",
            "FAILED runAsRootAllowed (danger):",
            "  dev: Deployment/x/root/c",
        ]);
        expect(report).toContain(
            "not evaluated linuxHardening (warning): its schema is a Go template (schemaString) that Polaris renders per object; covered in npm test by k8s-capabilities-seccomp",
        );
    });

    it("evaluates a check on a kind when the plan has one", () => {
        const ingress: Subject = { stack: "dev", manifest: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "x" }, spec: {} } };
        const tls = evaluate(loadChecks(dir), [good, ingress]).find((o) => o.id === "tlsSettingsMissing");
        expect(tls).toMatchObject({ status: "failed", objects: 1, failures: [{ where: "Ingress/x/web" }] });
    });

    it("refuses a default.yaml that enables a check with no file", () => {
        fs.writeFileSync(path.join(dir, "default.yaml"), `${files["default.yaml"]}  hostIPCSet: danger\n`);
        try {
            expect(() => loadChecks(dir)).toThrow(`default.yaml enables hostIPCSet, but ${path.join(dir, "hostIPCSet.yaml")} does not exist`);
        } finally {
            fs.writeFileSync(path.join(dir, "default.yaml"), files["default.yaml"]);
        }
    });

    it("names only rules the policy pack has as the cover for a check it cannot evaluate", () => {
        const rules = new Set(allPolicies.map((p) => p.name));
        const named = [...new Set(Object.values(coveredBy).flat())].sort();
        expect(named).toEqual([
            "k8s-capabilities-seccomp",
            "k8s-host-isolation",
            "k8s-image-digest",
            "k8s-network-policy-coverage",
            "k8s-non-root-read-only",
            "k8s-pdb",
            "k8s-priority-and-instance",
            "k8s-probes",
            "k8s-rbac-least-privilege",
            "k8s-requests-limits",
            "k8s-service-account-token",
            "k8s-zone-spread",
            "no-plaintext-secrets",
        ]);
        expect(named.filter((n) => !rules.has(n))).toEqual([]);
    });
});
