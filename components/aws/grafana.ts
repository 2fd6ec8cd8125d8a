import { highCardinalityLabels } from "../../data/catalog/observability";

/**
 * Grafana of kube-prometheus-stack, for the dashboards the topology cards generate
 * (components/k8s/observability.ts): its sidecar loads every ConfigMap labelled
 * `grafana_dashboard: "1"` in any namespace. In-cluster only (ClusterIP, no ingress), read-only:
 * no admin user is created (so no password exists to leak), the login form is off and viewers are
 * anonymous; reaching it takes `kubectl port-forward`, i.e. the cluster's RBAC. Dashboards change
 * in code, never in the UI.
 */

/** The chart values under `grafana:`. */
export function grafanaValues(nodeSelector: Readonly<Record<string, string>>): Record<string, unknown> {
    return {
        enabled: true,
        replicas: 1,
        nodeSelector,
        // No initial admin: the chart then renders no admin Secret (kube-prometheus-stack's default password never exists).
        env: { GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION: "true" },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        service: { type: "ClusterIP" },
        ingress: { enabled: false },
        testFramework: { enabled: false },
        "grafana.ini": {
            auth: { disable_login_form: true },
            "auth.basic": { enabled: false },
            "auth.anonymous": { enabled: true, org_role: "Viewer" },
            users: { allow_sign_up: false },
            analytics: { reporting_enabled: false, check_for_updates: false },
        },
        sidecar: {
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
            dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" },
        },
    };
}

/**
 * The collector's metrics pipeline drops the same high-cardinality attributes the ServiceMonitors
 * drop (OTLP metrics reach Prometheus by remote write, past any scrape relabelling).
 */
export function cardinalityProcessor(): Record<string, unknown> {
    return { actions: highCardinalityLabels.map((key) => ({ key, action: "delete" })) };
}
